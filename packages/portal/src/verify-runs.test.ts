/**
 * Verify from the portal without a browser: one at a time, the result kept
 * with who started it, a starter that fails said in the result (never a
 * silent pass), a close that stops the running one; and the portal's only
 * POST actions are sign-in, sign-out and run verify, so no role, auditors
 * included, reaches anything that writes.
 */
import { afterAll, describe, expect, it } from '@jest/globals';
import { createSyntheticLocker } from '@evidentia/audit/testing';
import { buildPortalApp } from './app.js';
import { Judgements } from './judgements.js';
import { PeriodAccess } from './periods.js';
import { PortalSettings } from './settings.js';
import { VerifyRuns } from './verify-runs.js';

const NOW = new Date('2026-06-15T10:00:00Z');

/** A starter whose runs end when the test says, recording the signals it was given. */
function controlledStarter() {
  const finishers: ((result: { code: number | null; output: string }) => void)[] = [];
  const signals: AbortSignal[] = [];
  const starter = (signal: AbortSignal) =>
    new Promise<{ code: number | null; output: string }>((resolve) => {
      signals.push(signal);
      finishers.push(resolve);
      signal.addEventListener('abort', () => resolve({ code: null, output: 'stopped' }));
    });
  return { starter, finishers, signals };
}

describe('VerifyRuns', () => {
  it('runs one verify at a time and keeps its result with who started it', async () => {
    const { starter, finishers } = controlledStarter();
    const runs = new VerifyRuns(starter, () => NOW);
    expect(runs.latest()).toBeNull();
    expect(runs.start('tom')).toBe(true);
    expect(runs.start('ann')).toBe(false);
    expect(runs.latest()).toEqual({ startedBy: 'tom', startedAt: NOW.toISOString(), finishedAt: null, code: null, output: '' });
    finishers[0]!({ code: 1, output: 'locker FAILED verification: 1 problem(s)\n' });
    await runs.settled();
    expect(runs.latest()).toMatchObject({ startedBy: 'tom', finishedAt: NOW.toISOString(), code: 1, output: 'locker FAILED verification: 1 problem(s)\n' });
    expect(runs.start('ann')).toBe(true);
    expect(runs.latest()!.startedBy).toBe('ann');
    expect(finishers).toHaveLength(2);
  });

  it('says when the verify could not be started, and is unavailable without a starter', async () => {
    const runs = new VerifyRuns(() => Promise.reject(new Error('spawn node ENOENT')));
    runs.start('tom');
    await runs.settled();
    expect(runs.latest()).toMatchObject({ code: null, output: 'the verify could not be started: spawn node ENOENT' });
    expect(runs.latest()!.finishedAt).not.toBeNull();
    const none = new VerifyRuns(null);
    expect([none.available, none.start('tom'), none.latest()]).toEqual([false, false, null]);
  });

  it('stops the running verify when the portal closes', async () => {
    const { starter, signals } = controlledStarter();
    const runs = new VerifyRuns(starter);
    runs.start('tom');
    await runs.stop();
    expect(signals[0]!.aborted).toBe(true);
    expect(runs.latest()).toMatchObject({ code: null, output: 'stopped' });
  });
});

describe('the portal routes', () => {
  const synthetic = createSyntheticLocker();
  afterAll(async () => (await synthetic).cleanup());

  it('take POST only for sign-in, sign-out and run verify', async () => {
    const { locker } = await synthetic;
    const config = { file: 'portal-test.yaml', instances: [], checks: {}, people: { aliases: {} }, timezone: 'UTC' };
    const settings = PortalSettings.parse({ users: [], auditPeriods: [] });
    const app = await buildPortalApp({ settings, periods: new PeriodAccess(config, settings, () => NOW), judgements: await Judgements.create(locker, config, () => NOW), secureCookies: false, log: () => {} });
    await app.ready();
    const posts = [...app.printRoutes({ method: 'POST', commonPrefix: false }).matchAll(/(\/[\w/-]*)/g)].map((match) => match[1]).sort();
    await app.close();
    expect(posts).toEqual(['/runs/verify', '/sign-in', '/sign-out']);
  });
});
