import { describe, expect, it } from '@jest/globals';
import { readFile } from 'node:fs/promises';
import { UsageError } from '@evidentia/audit';
import { LockerBusyError, LockerError } from '@evidentia/locker';
import { failureOf } from './wrap.js';

describe('failureOf', () => {
  it('says a usage problem, a busy locker and a path the user named in one line with exit 2', async () => {
    expect(failureOf(new UsageError('--period expects A..B'))).toEqual({ code: 2, message: '--period expects A..B' });
    expect(failureOf(new LockerBusyError('/l', { pid: 42, runId: 'r1' }))).toEqual({ code: 2, message: 'locker /l is being written by pid 42 (run r1); wait for it to finish' });
    const missing = await readFile('/nonexistent/evidentia.yaml').catch((error: unknown) => error);
    expect(failureOf(missing, {})).toEqual({ code: 2, message: 'cannot open /nonexistent/evidentia.yaml: no such file or directory' });
  });

  it('says what the locker refuses in one line with exit 2', () => {
    expect(failureOf(new LockerError('no private key for /l'))).toEqual({ code: 2, message: 'no private key for /l' });
  });

  it('names an error nobody handled as a bug, without its stack unless EVIDENTIA_DEBUG is set', () => {
    const bug = new TypeError("Cannot read properties of undefined (reading 'x')");
    const plain = failureOf(bug, {});
    expect(plain).toEqual({ code: 1, message: "Cannot read properties of undefined (reading 'x') (unexpected TypeError: a bug in evidentia; EVIDENTIA_DEBUG=1 shows where)" });
    expect(failureOf(bug, { EVIDENTIA_DEBUG: '1' }).message).toContain('\n    at ');
  });
});
