/**
 * End to end: a licence holder imports official requirement text into their
 * locker and `catalog show` prints it. Every text here is made up; files and
 * lockers live in temp directories only.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { runCli, tempDir } from './cli.js';

let dir: string;
beforeAll(async () => {
  dir = await tempDir('official-text');
  expect((await runCli(['init'], { cwd: dir })).code).toBe(0);
  await writeFile(join(dir, 'iso.csv'), 'Control,Text\n5.15,"Synthetic text for A.5.15,\nsecond line"\nA.8.32,Synthetic text for A.8.32\n');
  await writeFile(join(dir, 'evidentia.yaml'), 'locker: ./locker\n');
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('evidentia catalog import-text', () => {
  it('imports a CSV into the locker and catalog show prints the text with its source', async () => {
    const imported = await runCli(['catalog', 'import-text', 'iso.csv', '--framework', 'iso27001', '--id-column', 'control'], { cwd: dir });
    expect(imported.stderr).toBe('');
    expect(imported.code).toBe(0);
    expect(imported.stdout).toMatch(/^imported official text for 2 iso27001 requirement\(s\) from iso\.csv: 2 new, 0 replaced, 0 unchanged \(import 1, object [0-9a-f]{64}\)\n/);
    expect(imported.stdout).toMatch(/no official text yet for 121 of 123 iso27001 requirements: 4\.1, 4\.2, /);

    const shown = await runCli(['catalog', 'show', 'A.5.15'], { cwd: dir });
    expect(shown.code).toBe(0);
    expect(shown.stdout).toMatch(/\nOfficial text \(imported from iso\.csv on \d{4}-\d{2}-\d{2}\):\n {2}Synthetic text for A\.5\.15,\n {2}second line\n/);
    const json = await runCli(['catalog', 'show', 'A.8.32', '--json', '--config', join(dir, 'evidentia.yaml')]);
    expect(JSON.parse(json.stdout)).toMatchObject({ officialText: 'Synthetic text for A.8.32', officialTextSource: { file: 'iso.csv', import: 1 } });

    const listed = await runCli(['catalog', 'list', '--framework', 'iso27001', '--with-text', '--json'], { cwd: dir });
    expect((JSON.parse(listed.stdout) as { id: string; officialText: boolean }[]).filter((row) => row.officialText).map((row) => row.id)).toEqual(['A.5.15', 'A.8.32']);
    const verified = await runCli(['verify'], { cwd: dir });
    expect(verified.code).toBe(0);
    expect(verified.stdout).toMatch(/^checked \d+ manifests, .* objects, 1 official text import\(s\)\n/);
  });

  it('puts the imported text into an OSCAL catalog only when asked, from a named locker', async () => {
    const out = join(dir, 'iso.oscal.json');
    const exported = await runCli(['export', 'oscal-catalog', '--framework', 'iso27001', '--with-official-text', '--config', 'evidentia.yaml', '--out', out], { cwd: dir });
    expect(exported.code).toBe(0);
    expect(exported.stdout).toContain('2 statements with your official text (not for redistribution)');
    expect(await readFile(out, 'utf8')).toContain('Synthetic text for A.8.32');
    const plain = join(dir, 'plain.oscal.json');
    expect((await runCli(['export', 'oscal-catalog', '--framework', 'iso27001', '--out', plain], { cwd: dir })).code).toBe(0);
    expect(await readFile(plain, 'utf8')).not.toContain('Synthetic text');
    const unnamed = await runCli(['export', 'oscal-catalog', '--framework', 'iso27001', '--with-official-text', '--out', plain], { cwd: dir });
    expect(unnamed.code).toBe(2);
    expect(unnamed.stderr).toContain('name the locker with --locker or --config');
    const none = await runCli(['export', 'oscal-catalog', '--framework', 'c5', '--with-official-text', '--locker', 'locker', '--out', plain], { cwd: dir });
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('holds no official text for c5');
  });

  it('imports nothing from a file with a bad row, exits 2 and names the row', async () => {
    await writeFile(join(dir, 'bad.csv'), 'id,text\nA.5.15,Synthetic replacement\nA.5.99,Synthetic text\n');
    const refused = await runCli(['catalog', 'import-text', 'bad.csv', '--framework', 'iso27001'], { cwd: dir });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('bad.csv: nothing imported, 1 problem:\n  row 3, column "id": "A.5.99" is not a requirement ID in iso27001');
    const json = await runCli(['catalog', 'show', 'A.5.15', '--json'], { cwd: dir });
    expect(JSON.parse(json.stdout)).toMatchObject({ officialText: 'Synthetic text for A.5.15,\nsecond line', officialTextSource: { import: 1 } });
  });

  it('shows the catalog as before where there is no locker', async () => {
    const elsewhere = await tempDir('no-locker');
    try {
      const shown = await runCli(['catalog', 'show', 'A.5.15', '--json'], { cwd: elsewhere });
      expect(shown.code).toBe(0);
      expect(JSON.parse(shown.stdout)).toMatchObject({ id: 'A.5.15', officialText: null, officialTextSource: null });
      expect((await runCli(['catalog', 'show', 'A.5.15'], { cwd: elsewhere })).stdout).not.toContain('Official text');
      const missing = await runCli(['catalog', 'show', 'A.5.15', '--locker', join(elsewhere, 'nowhere')]);
      expect(missing.code).toBe(2);
      expect(missing.stderr).toMatch(/is not an evidence locker/);
    } finally {
      await rm(elsewhere, { recursive: true, force: true });
    }
  });
});
