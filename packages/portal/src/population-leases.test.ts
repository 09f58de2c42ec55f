/**
 * Population files read under leases: a request handed a population file
 * whose file is let go of (the locker changed, another request replaced it)
 * before it opens it still reads it whole, where it used to find it removed
 * and answer 500; the file is removed once the answer is done, also when the
 * client goes away mid-answer. The interleaving is forced with the
 * `beforeOpen` hook (called once the file is leased, before it is opened).
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { existsSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import { once } from 'node:events';
import { text } from 'node:stream/consumers';
import { accountRecord, createSyntheticLocker, type SyntheticLocker } from '@evidentia/audit/testing';
import { parsePeriod } from '@evidentia/time';
import { FileLeases } from './file-lease.js';
import { Judgements, type PopulationFile } from './judgements.js';
import { hashPassword } from './passwords.js';
import { PeriodAccess } from './periods.js';
import { PortalSettings } from './settings.js';
import { startTestPortal, type TestPortal, UNTIL_DONE } from './test-portal.test-support.js';

const config = { file: 'portal-test.yaml', instances: [], checks: {}, people: { aliases: {} }, timezone: 'UTC', requests: [] };
const NOW = new Date('2026-06-15T10:00:00Z');
const PERIOD = '2026-02-01..2026-02-28';
const period = parsePeriod(PERIOD);
let synthetic: SyntheticLocker;
let settings: PortalSettings;
let judgements: Judgements;
let portal: TestPortal;
let session: string;
let closed = false;
/** What the next request does once its file is leased, before it opens it (then the hook is spent). */
let beforeOpen: ((file: PopulationFile) => Promise<void>) | undefined;
let day = 6;

/** A run that adds an account: the locker changes, so every population file kept is let go of. */
const changeLocker = (who: string) => synthetic.run(`2026-02-${String(day++).padStart(2, '0')}T02:00:00Z`, [{ stream: 'github/members', type: 'state', records: [accountRecord('github:acme', 'mallory'), accountRecord('github:acme', who)] }]);

beforeAll(async () => {
  synthetic = await createSyntheticLocker();
  await synthetic.run('2026-02-05T02:00:00Z', [{ stream: 'github/members', type: 'state', records: [accountRecord('github:acme', 'mallory')] }]);
  settings = PortalSettings.parse({ users: [{ name: 'tom', role: 'team', passwordHash: await hashPassword('pw') }], auditPeriods: [PERIOD] });
}, 60_000);

afterAll(async () => {
  await synthetic?.cleanup();
});

describe('population files under leases', () => {
  beforeAll(async () => {
    judgements = await Judgements.create(synthetic.locker, config, () => NOW, {}, {
      beforeOpen: async (file) => {
        const hook = beforeOpen;
        beforeOpen = undefined;
        await hook?.(file);
      },
    });
    // Pages wait for their judgement however long it takes under load (never the judging page).
    portal = await startTestPortal({ settings, periods: new PeriodAccess(config, settings, () => NOW), judgements, secureCookies: false, log: () => {}, judgingWaitMs: UNTIL_DONE });
    session = await portal.signIn('tom');
  }, 60_000);

  afterEach(() => {
    beforeOpen = undefined;
  });

  afterAll(async () => {
    if (!closed) await portal?.close();
  });

  const cases = [
    { path: `/evidence/population.csv?kind=access.account&period=${PERIOD}`, query: { period, kind: 'access.account' }, format: 'csv' as const },
    { path: `/populations/population.xlsx?kind=access.account&period=${PERIOD}`, query: { period, kind: 'access.account' }, format: 'xlsx' as const },
    { path: `/populations?kind=access.account&period=${PERIOD}`, query: { period, kind: 'access.account' }, format: 'csv' as const },
  ];

  it.each(cases)('answers $path from the file it was handed when the file is replaced before it is opened (it answered 500)', async ({ path, query, format }) => {
    let handed: PopulationFile | undefined;
    let replacement: PopulationFile | undefined;
    const who = `trudy${day}`;
    beforeOpen = async (file) => {
      handed = file;
      // The locker changes and another request asks for the same population: a new file replaces the one handed out.
      await changeLocker(who);
      const newer = await judgements.openPopulation(query, format);
      replacement = newer.file;
      newer.stream.destroy();
      // Waits for the handed file's removal, unless a lease holds it back (what used to remove it here).
      if (judgements.populationFiles.leased() === 0) await judgements.populationFiles.removed();
    };
    const answer = await portal.get(path, session);
    const body = Buffer.from(await answer.arrayBuffer());
    expect(answer.status).toBe(200);
    expect(handed).toBeDefined();
    expect(replacement!.dir).not.toBe(handed!.dir);
    if (path.includes('population.csv')) {
      // The population as of the file handed out, whole: without the account the change added.
      expect(Number(answer.headers.get('content-length'))).toBe(body.length);
      expect(body.toString()).toContain('mallory');
      expect(body.toString()).not.toContain(who);
    }
    // Once answered, the lease is given back and the replaced file removed; the replacement stays kept.
    await judgements.populationFiles.removed();
    expect(judgements.populationFiles.leased()).toBe(0);
    expect([existsSync(handed!.dir), existsSync(replacement!.dir)]).toEqual([false, true]);
  }, 60_000);

  it('gives the lease back when the client goes away before the file is sent', async () => {
    let socket: Socket | undefined;
    const remember = (request: IncomingMessage) => {
      if (request.url?.startsWith('/evidence/population.csv')) socket = request.socket;
    };
    portal.app.server.on('request', remember);
    const client = new AbortController();
    let handed: PopulationFile | undefined;
    let leasedMeanwhile = 0;
    beforeOpen = async (file) => {
      handed = file;
      leasedMeanwhile = judgements.populationFiles.leased();
      // Let go of (the locker changed): its removal now waits for this request's lease.
      await changeLocker(`eve${day}`);
      await judgements.kinds(period);
      client.abort();
      await once(socket!, 'close');
    };
    try {
      await expect(portal.get(cases[0]!.path, session, { signal: client.signal })).rejects.toThrow(/abort/i);
      // Resolves only once the lease is given back: the aborted answer's stream closed.
      await judgements.populationFiles.removed();
      expect([leasedMeanwhile, judgements.populationFiles.leased(), existsSync(handed!.dir)]).toEqual([1, 0, false]);
    } finally {
      portal.app.server.off('request', remember);
    }
  }, 60_000);

  it('removes every file at close, leased or not', async () => {
    const opened = await judgements.openPopulation({ period, kind: 'access.account' }, 'csv');
    expect(await text(opened.stream)).toContain('mallory');
    const held = await judgements.openPopulation({ period, kind: 'access.account' }, 'csv', 'ipe');
    closed = true;
    await portal.close();
    expect(existsSync(held.file.dir)).toBe(false);
    held.stream.destroy();
  }, 60_000);
});

describe('file leases', () => {
  it('free a file once its last lease is given back, and a lease given back twice counts once', async () => {
    const leases = new FileLeases<string>();
    const first = leases.take('a');
    const second = leases.take('a');
    let freed = false;
    const free = leases.free('a').then(() => (freed = true));
    first.release();
    first.release();
    await Promise.resolve();
    expect([freed, leases.count()]).toEqual([false, 1]);
    second.release();
    await free;
    expect(leases.count()).toBe(0);
    await leases.free('a');
  });
});
