/**
 * End to end: `evidentia catalog` as a user runs it, output and exit codes.
 */
import { describe, expect, it } from '@jest/globals';
import { runCli, spawnCli } from './cli.js';

describe('evidentia catalog', () => {
  it('lists one framework as a table and as JSON', async () => {
    const table = await runCli(['catalog', 'list', '--framework', 'c5']);
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/^framework\s+id\s+label/);
    expect(table.stdout).toMatch(/c5\s+PSS-12\s/);
    const json = await runCli(['catalog', 'list', '--framework', 'nis2', '--json']);
    expect(json.code).toBe(0);
    const rows = JSON.parse(json.stdout) as Array<{ id: string }>;
    expect(rows.map((row) => row.id)).toContain('NIS2.23.4.a');
  });

  it('shows a requirement with its mappings', async () => {
    const shown = await runCli(['catalog', 'show', 'A.5.16']);
    expect(shown.code).toBe(0);
    expect(shown.stdout).toMatch(/^A\.5\.16 /);
    expect(shown.stdout).toMatch(/superset-of\s+CC6\.2\s+soc2/);
    const json = await runCli(['catalog', 'show', 'CC7.4', '--json']);
    expect(JSON.parse(json.stdout)).toMatchObject({ id: 'CC7.4', framework: 'soc2' });
  });

  it('exits 2 on an unknown framework or requirement', async () => {
    const framework = await runCli(['catalog', 'list', '--framework', 'pci']);
    expect(framework.code).toBe(2);
    expect(framework.stderr).toMatch(/unknown framework "pci"/);
    expect((await runCli(['catalog', 'show', 'XX-99'])).code).toBe(2);
  });

  it('stops quietly when the reader closes the pipe early, as with `| head`', async () => {
    const { child, done } = spawnCli(['catalog', 'show', 'A.5.16']);
    child.stdout?.destroy();
    const result = await done;
    expect(result.stderr).not.toContain('EPIPE');
    expect(result.code).toBe(0);
  });
});
