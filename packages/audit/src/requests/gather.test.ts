/** The request ledger read from a real locker: personnel events told by several systems, and documents added on given days. */
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { chmod, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createSyntheticLocker, type SyntheticLocker } from '../checks/synthetic-locker.js';
import { personnelRecord } from '../checks/synthetic-records.js';
import { requestLedgerFromLocker } from './gather.js';
import type { EvidenceRequest } from './types.js';

const checks: EvidenceRequest = { id: 'background-checks', title: 'Background check for each new hire', criteria: ['CC1.4'], owner: 'people lead', frequency: 'per-event', event: 'joiner', dueDays: 30, graceDays: 0, starter: false };
const PERIOD = { since: new Date('2026-02-01T00:00:00Z'), until: new Date('2026-04-01T00:00:00Z') };
const NOW = new Date('2026-05-01T00:00:00Z');
const options = { timezone: 'UTC', aliases: {}, personnelStreams: ['hr/lifecycle'] };

let synthetic: SyntheticLocker;
beforeEach(async () => {
  synthetic = await createSyntheticLocker();
});
afterEach(async () => synthetic.cleanup());

const joiner = (system: string, key: string, email: string | null, effectiveAt: string, type: 'joiner' | 'leaver' = 'joiner', name: string | null = null) =>
  personnelRecord(system, key, { type, person: { email, name, id: null }, effectiveAt, source: system });

/** A background check for `subject`, added on `day`. */
async function check(day: string, subject: string): Promise<void> {
  await synthetic.run(`${day}T12:00:00Z`, []);
  await synthetic.locker.addDocuments([{ request: 'background-checks', fileName: `${subject}.txt`, bytes: Buffer.from(`checked ${subject} ${day}`), addedBy: 'people@acme.example', effective: day, subject, note: null, supersedes: null }]);
}

describe('requestLedgerFromLocker', () => {
  it('counts one hire told by the directory and by HR on different days as one occurrence, answered by one check', async () => {
    // The directory account is made a week before the HR start day; the check is added after both.
    await synthetic.run('2026-02-10T00:00:00Z', [
      { stream: 'google/user_lifecycle', type: 'event', records: [joiner('google-workspace:acme.example', 'create-nina', 'nina@acme.example', '2026-02-02T09:00:00Z')] },
      { stream: 'hr/lifecycle', type: 'event', records: [joiner('hr:acme', 'HR-7', 'Nina@acme.example', '2026-02-09T00:00:00Z')] },
    ]);
    await check('2026-02-12', 'nina@acme.example');
    const line = (await requestLedgerFromLocker(synthetic.locker, [checks], PERIOD, NOW, options)).requests[0]!;
    expect(line.occurrences.map(({ label, status, documents }) => [label, status, documents])).toEqual([['joiner nina@acme.example on 2026-02-02', 'fulfilled', [1]]]);
    expect([line.expected, line.overdue]).toEqual([1, 0]);
  });

  it('keeps a re-hire two occurrences: a leaver between the tellings, or one system telling two joiners', async () => {
    await synthetic.run('2026-03-20T00:00:00Z', [
      {
        stream: 'hr/lifecycle',
        type: 'event',
        records: [joiner('hr:acme', 'HR-1', 'ola@acme.example', '2026-02-02T00:00:00Z'), joiner('hr:acme', 'HR-2', 'ola@acme.example', '2026-02-10T00:00:00Z', 'leaver'), joiner('hr:acme', 'HR-8', 'pia@acme.example', '2026-02-03T00:00:00Z'), joiner('hr:acme', 'HR-9', 'pia@acme.example', '2026-02-20T00:00:00Z')],
      },
      { stream: 'google/user_lifecycle', type: 'event', records: [joiner('google-workspace:acme.example', 'create-ola', 'ola@acme.example', '2026-02-16T00:00:00Z')] },
    ]);
    const line = (await requestLedgerFromLocker(synthetic.locker, [checks], PERIOD, NOW, options)).requests[0]!;
    expect(line.occurrences.map(({ label }) => label)).toEqual(['joiner ola@acme.example on 2026-02-02', 'joiner pia@acme.example on 2026-02-03', 'joiner ola@acme.example on 2026-02-16', 'joiner pia@acme.example on 2026-02-20']);
  });

  it('keeps two hires that share only a name, days apart in two systems, two occurrences', async () => {
    await synthetic.run('2026-03-20T00:00:00Z', [
      { stream: 'hr/lifecycle', type: 'event', records: [joiner('hr:acme', 'HR-3', 'sam.lee@acme.example', '2026-03-02T00:00:00Z', 'joiner', 'Sam Lee')] },
      { stream: 'google/user_lifecycle', type: 'event', records: [joiner('google-workspace:acme.example', 'create-slee', 'slee2@acme.example', '2026-03-09T00:00:00Z', 'joiner', 'Sam Lee')] },
    ]);
    const line = (await requestLedgerFromLocker(synthetic.locker, [checks], PERIOD, NOW, options)).requests[0]!;
    expect(line.occurrences.map(({ label }) => label)).toEqual(['joiner sam.lee@acme.example on 2026-03-02', 'joiner slee2@acme.example on 2026-03-09']);
  });

  it('counts no document whose file is gone from the locker or altered there, and says which and why', async () => {
    const yearly: EvidenceRequest = { id: 'pen-test', title: 'Penetration test', criteria: ['CC4.1'], owner: 'ciso', frequency: 'once', dueDays: 0, graceDays: 0, starter: false };
    await synthetic.run('2026-02-10T00:00:00Z', []);
    const [gone, altered] = await synthetic.locker.addDocuments(
      ['gone', 'altered'].map((name) => ({ request: 'pen-test', fileName: `${name}.txt`, bytes: Buffer.from(`pen test report (${name})\n`), addedBy: 'ciso@acme.example', effective: '2026-02-10', subject: null, note: null, supersedes: null })),
    );
    const objectPath = (hash: string) => join(synthetic.dir, 'objects', hash.slice(0, 2), hash.slice(2));
    const ledger = async () => (await requestLedgerFromLocker(synthetic.locker, [yearly], PERIOD, NOW, options)).requests[0]!.occurrences[0]!;
    expect(await ledger()).toMatchObject({ status: 'fulfilled', documents: [gone!.sequence, altered!.sequence] });

    await rm(objectPath(gone!.content));
    await chmod(objectPath(altered!.content), 0o644);
    await writeFile(objectPath(altered!.content), 'not the file that was signed');
    const judged = await ledger();
    expect(judged).toMatchObject({ status: 'overdue', documents: [], uncounted: expect.stringMatching(/^not counted, its file in the locker is missing or altered/) });
    expect(judged.cause).toMatch(/; not counted, its file in the locker is missing or altered \(run `evidentia verify`\): document 1 \(gone\.txt: object [0-9a-f]{64} is missing from .*\), document 2 \(altered\.txt: object [0-9a-f]{64} is altered: .*\)$/);
  });
  it("does not let a background check from a person's hire before the period answer their re-hire in it", async () => {
    // Ola's first check was done the week before her first start day; her re-hire in the period was never checked.
    await check('2025-05-25', 'ola@acme.example');
    await synthetic.run('2025-06-02T00:00:00Z', [{ stream: 'hr/lifecycle', type: 'event', records: [joiner('hr:acme', 'HR-1', 'ola@acme.example', '2025-06-01T00:00:00Z')] }]);
    await synthetic.run('2025-09-02T00:00:00Z', [{ stream: 'hr/lifecycle', type: 'event', records: [joiner('hr:acme', 'HR-2', 'ola@acme.example', '2025-09-01T00:00:00Z', 'leaver')] }]);
    await synthetic.run('2026-02-20T00:00:00Z', [{ stream: 'hr/lifecycle', type: 'event', records: [joiner('hr:acme', 'HR-3', 'ola@acme.example', '2026-02-16T00:00:00Z')] }]);
    const line = (await requestLedgerFromLocker(synthetic.locker, [checks], PERIOD, NOW, options)).requests[0]!;
    expect(line.occurrences.map(({ label, status, documents }) => [label, status, documents])).toEqual([['joiner ola@acme.example on 2026-02-16', 'overdue', []]]);
    expect(line.occurrences[0]!.cause).toContain("; added before the person's previous joiner (2025-06-01), so not counted: document 1 (2025-05-25)");
  });
});
