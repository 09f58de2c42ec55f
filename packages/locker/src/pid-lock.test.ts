/**
 * The pid lock when several processes start beside a stale lock at once: a
 * stale lock is replaced by exactly one of them, a lock judged stale and then
 * taken by another process stays, and a lock is never seen half written.
 */
import { afterEach, describe, expect, it } from '@jest/globals';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { acquirePidLock, breakStaleLock, readPidLock, releasePidLock } from './pid-lock.js';

let dir: string | null = null;
const scratch = () => (dir = mkdtempSync(join(tmpdir(), 'evidentia-pid-lock-')));
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = null;
});

const deadPid = () => spawnSync(process.execPath, ['-e', '']).pid!;
const busy = (holder: { pid: number; id: string }) => new Error(`busy: ${holder.pid} ${holder.id}`);

describe('breaking a stale lock', () => {
  it('removes the lock it judged stale', () => {
    const path = join(scratch(), 'writer.lock');
    const stale = { pid: deadPid(), id: 'gone' };
    writeFileSync(path, JSON.stringify(stale));
    expect(breakStaleLock(path, stale)).toBe('removed');
    expect(existsSync(path)).toBe(false);
    expect(readdirSync(dir!)).toEqual([]);
  });

  it('leaves the lock another process took after it was judged stale', () => {
    const path = join(scratch(), 'writer.lock');
    const stale = { pid: deadPid(), id: 'gone' };
    writeFileSync(path, JSON.stringify(stale));
    const judged = readPidLock(path)!;
    // Between this process's reading and its breaking, another process broke the stale lock and took its own.
    const live = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 30000)']);
    try {
      writeFileSync(path, JSON.stringify({ pid: live.pid, id: 'run-2' }));
      expect(breakStaleLock(path, judged)).toBe('changed');
      expect(readPidLock(path)).toEqual({ pid: live.pid, id: 'run-2' });
    } finally {
      live.kill();
    }
  });

  it('waits while another live process is breaking it', () => {
    const path = join(scratch(), 'writer.lock');
    const stale = { pid: deadPid(), id: 'gone' };
    writeFileSync(path, JSON.stringify(stale));
    writeFileSync(`${path}.break`, JSON.stringify({ pid: process.ppid, id: 'break-other' }));
    expect(breakStaleLock(path, stale)).toBe('busy');
    expect(readPidLock(path)).toEqual(stale);
  });

  it('clears a breaker left by a process killed while it broke the lock, then takes the lock', () => {
    const path = join(scratch(), 'writer.lock');
    writeFileSync(path, JSON.stringify({ pid: deadPid(), id: 'gone' }));
    writeFileSync(`${path}.break`, JSON.stringify({ pid: deadPid(), id: 'break-killed' }));
    acquirePidLock(path, { id: 'run-3' }, busy);
    expect(readPidLock(path)).toEqual({ id: 'run-3', pid: process.pid, process: expect.stringMatching(/^[0-9a-f-]+\/\d+$/) });
    expect(readdirSync(dir!).sort()).toEqual(['writer.lock']);
    releasePidLock(path, 'run-3');
    expect(existsSync(path)).toBe(false);
  });
});

describe('a lock whose pid is alive', () => {
  it('is stale when that pid is now another process (the machine restarted, the pid was reused)', () => {
    const path = join(scratch(), 'writer.lock');
    // A process that is alive now, named by a lock a collector wrote before a power cut: same pid, another process.
    const other = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 30000)']);
    try {
      writeFileSync(path, JSON.stringify({ pid: other.pid, id: 'before-the-restart', process: 'another-boot/4242' }));
      acquirePidLock(path, { id: 'run-5' }, busy);
      expect(readPidLock(path)).toMatchObject({ id: 'run-5', pid: process.pid });
      releasePidLock(path, 'run-5');
    } finally {
      other.kill();
    }
  });

  it('is still judged by its pid alone when it names no process start (a lock from an older evidentia)', () => {
    const path = join(scratch(), 'writer.lock');
    const other = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 30000)']);
    try {
      writeFileSync(path, JSON.stringify({ pid: other.pid, id: 'older' }));
      expect(() => acquirePidLock(path, { id: 'run-6' }, busy)).toThrow(`busy: ${other.pid} older`);
    } finally {
      other.kill();
    }
  });
});

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));

/** Waits for the go file, tries the lock once, and says whether it got it; a holder keeps it a while so the others meet it alive. */
const CONTENDER = `
import { existsSync } from 'node:fs';
import { acquirePidLock } from ${JSON.stringify(join(repoRoot, 'packages/locker/src/pid-lock.ts'))};
const [path, go] = process.argv.slice(2);
process.stdout.write('ready\\n');
while (!existsSync(go)) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 1);
try {
  acquirePidLock(path, { id: 'run-' + process.pid }, (holder) => new Error('busy ' + holder.pid));
  process.stdout.write('got\\n');
  setTimeout(() => {}, 1500);
} catch (error) {
  process.stdout.write(String(error.message).startsWith('busy ') ? 'refused\\n' : 'error ' + error.message + '\\n');
}
`;

describe('processes starting at once beside a stale lock', () => {
  it('lets exactly one of them take it, every time', async () => {
    const root = scratch();
    const script = join(root, 'contender.mts');
    writeFileSync(script, CONTENDER);
    for (let trial = 0; trial < 3; trial++) {
      const path = join(root, `trial-${trial}.lock`);
      const go = join(root, `go-${trial}`);
      writeFileSync(path, JSON.stringify({ pid: deadPid(), id: 'stale' }));
      const children = Array.from({ length: 5 }, () => spawn(process.execPath, ['--conditions=source', '--import', 'tsx', script, path, go], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'inherit'] }));
      const outputs = children.map((child) => {
        let text = '';
        child.stdout.on('data', (chunk: Buffer) => (text += chunk.toString()));
        return { ready: new Promise<void>((resolve) => child.stdout.on('data', () => text.includes('ready') && resolve())), done: new Promise<string>((resolve) => child.once('exit', () => resolve(text))) };
      });
      await Promise.all(outputs.map((output) => output.ready));
      writeFileSync(go, '');
      const results = (await Promise.all(outputs.map((output) => output.done))).map((text) => text.replace('ready\n', '').trim());
      expect(results.sort()).toEqual(['got', 'refused', 'refused', 'refused', 'refused']);
      expect(readFileSync(path, 'utf8')).not.toContain('stale');
    }
  }, 120_000);
});
