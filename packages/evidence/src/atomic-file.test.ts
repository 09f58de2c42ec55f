import { describe, expect, it } from '@jest/globals';
import { mkdir, mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { withAtomicOutput, writeFileAtomic } from './atomic-file.js';

const scratch = () => mkdtemp(join(tmpdir(), 'evidentia-atomic-'));

describe('atomic outputs', () => {
  it('writes beside the final name and renames: the final name never holds a partial file', async () => {
    const dir = await scratch();
    const out = join(dir, 'report.html');
    await withAtomicOutput(out, async (path) => {
      await writeFile(path, 'half');
      expect(path).not.toBe(out);
      expect(await readdir(dir)).toEqual([expect.stringMatching(/^\.report\.html\.\d+\.[0-9a-f]+\.partial$/)]);
    });
    expect(await readFile(out, 'utf8')).toBe('half');
    expect(await readdir(dir)).toEqual(['report.html']);
  });

  it('leaves the previous file untouched and no temporary file when the write fails', async () => {
    const dir = await scratch();
    const out = join(dir, 'bundle.zip');
    await writeFile(out, 'the previous bundle');
    const failing = withAtomicOutput(out, async (path) => {
      await writeFile(path, 'a truncated bund');
      throw new Error('disk full');
    });
    await expect(failing).rejects.toThrow('disk full');
    expect(await readFile(out, 'utf8')).toBe('the previous bundle');
    expect(await readdir(dir)).toEqual(['bundle.zip']);
  });

  it('refuses a missing folder and a directory before anything is written, naming the path', async () => {
    const dir = await scratch();
    await expect(writeFileAtomic(join(dir, 'missing', 'x.json'), '{}')).rejects.toMatchObject({ code: 'ENOENT', path: join(dir, 'missing', 'x.json') });
    await mkdir(join(dir, 'folder'));
    await expect(writeFileAtomic(join(dir, 'folder'), '{}')).rejects.toMatchObject({ code: 'EISDIR', path: join(dir, 'folder') });
    expect(await readdir(dir)).toEqual(['folder']);
  });
});
