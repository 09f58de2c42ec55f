/**
 * A record's page on a real (synthetic) locker: its data and raw response
 * escaped, its verification path checking out step by step, and an altered
 * raw response named as the step that no longer checks out.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { population, type PopulationItem } from '@evidentia/audit';
import { accountRecord, createSyntheticLocker, pullRequestRecord, type SyntheticLocker } from '@evidentia/audit/testing';
import { parsePeriod, type Period } from '@evidentia/time';
import { recordPage } from './pages/record.js';
import { findItem, recordPath } from './record-path.js';

const HOSTILE = '<script>window.__pwned=1</script>';
const period = parsePeriod('2026-01-01..2026-03-31', { timezone: 'UTC', now: new Date('2026-06-01T00:00:00Z'), option: 'period' });
let synthetic: SyntheticLocker;

beforeAll(async () => {
  synthetic = await createSyntheticLocker();
  await synthetic.run('2026-02-01T02:00:00Z', [{ stream: 'github/members', type: 'state', records: [accountRecord('github:acme', 'ann'), accountRecord('github:acme', HOSTILE, { displayName: HOSTILE })], request: { method: 'GET', url: 'https://api.example.invalid/members?access_token=[redacted]', requestBody: null } }]);
  await synthetic.run('2026-02-02T02:00:00Z', [{ stream: 'github/members', type: 'state', records: [accountRecord('github:acme', 'bob')] }]);
}, 60_000);

afterAll(async () => {
  await synthetic?.cleanup();
});

describe('record path', () => {
  it('finds a record only in its period and shows its data escaped, with every step checking out', async () => {
    let hostile = null;
    for await (const record of synthetic.locker.records({ kind: 'access.account', at: new Date('2026-02-01T03:00:00Z') })) if (record.key.includes('script')) hostile = record;
    expect(hostile).not.toBeNull();
    const item = await findItem(synthetic.locker, period, 'access.account', hostile!.hash);
    expect(item?.key).toBe(`user:${HOSTILE}`);
    const outside = parsePeriod('2026-04-01..2026-04-30', { timezone: 'UTC', now: new Date('2026-06-01T00:00:00Z'), option: 'period' });
    expect(await findItem(synthetic.locker, outside, 'access.account', hostile!.hash)).toBeNull();

    const path = await recordPath(synthetic.locker, item!);
    expect(path.checks.filter((step) => !step.ok)).toEqual([]);
    expect(path.checks.map((step) => step.step)).toEqual([
      'the stored record hashes to its hash',
      `the record set ${path.stream!.recordSet} lists the record`,
      'the record set’s Merkle root and count match the manifest',
      'each snapshot entry hashes to its entry hash',
      'the snapshot entries’ Merkle root and count match the manifest',
      `the raw response ${item!.snapshotHashes[0]!.slice(0, 12)}… hashes to its body hash`,
      'manifest #1 hashes to its hash',
      'it links to the previous manifest',
      'it is signed by the key in effect at its sequence',
      'the signature verifies with that key',
    ]);
    expect(path.snapshots.map((snapshot) => snapshot.provenance.url)).toEqual(['https://api.example.invalid/members?access_token=[redacted]']);
    const page = recordPage({ path, period: '2026-01-01..2026-03-31' }).text;
    expect(page).not.toContain(HOSTILE);
    expect(page).toContain('&lt;script&gt;window.__pwned=1&lt;/script&gt;');
    expect(page).toContain('All 10 steps check out.');
  }, 60_000);

  it('names the step that no longer checks out when a raw response was altered', async () => {
    const item = (await findItem(synthetic.locker, period, 'access.account', (await firstHash('bob'))!))!;
    const body = item.snapshotHashes[0]!;
    writeFileSync(join(synthetic.dir, 'objects', body.slice(0, 2), body.slice(2)), gzipSync('["user:mallory"]'));
    const path = await recordPath(synthetic.locker, item);
    const failed = path.checks.filter((step) => !step.ok);
    expect(failed.map((step) => step.step)).toEqual([`the raw response ${body.slice(0, 12)}… hashes to its body hash`]);
    expect(failed[0]!.found).toBe('altered: its stored bytes hash to something else');
    expect(recordPage({ path, period: '2026-01-01..2026-03-31' }).text).toContain('1 of 10 steps do NOT check out');
  }, 60_000);

  it('says a raw response the locker cannot read is unreadable, not altered', async () => {
    let ann = null;
    for await (const record of synthetic.locker.records({ kind: 'access.account', at: new Date('2026-02-01T03:00:00Z') })) if (record.key === 'user:ann') ann = record;
    const item = (await findItem(synthetic.locker, period, 'access.account', ann!.hash))!;
    const body = item.snapshotHashes[0]!;
    const file = join(synthetic.dir, 'objects', body.slice(0, 2), body.slice(2));
    // A directory in the object's place: there, but it cannot be read (as with no permission or an I/O error).
    rmSync(file);
    mkdirSync(file);
    const failed = (await recordPath(synthetic.locker, item)).checks.filter((step) => !step.ok);
    expect(failed.map((step) => [step.step, step.found])).toEqual([[`the raw response ${body.slice(0, 12)}… hashes to its body hash`, 'unreadable: the locker cannot read it']]);
  }, 60_000);
});

describe('findItem', () => {
  it('finds the same row as a pass over the whole population, for members and non-members alike', async () => {
    const other = await createSyntheticLocker();
    try {
      // bob's first version is superseded by the run of 02-03; the change happened in February, so March holds no change.
      await other.run('2026-02-01T02:00:00Z', [
        { stream: 'github/members', type: 'state', records: [accountRecord('github:acme', 'ann'), accountRecord('github:acme', 'bob')] },
        { stream: 'github/pull_requests', type: 'event', records: [pullRequestRecord('github:acme', 'acme/api#1')] },
      ]);
      await other.run('2026-02-03T02:00:00Z', [{ stream: 'github/members', type: 'state', records: [accountRecord('github:acme', 'bob', { mfa: 'disabled' })] }]);
      await other.run('2026-04-03T02:00:00Z', [{ stream: 'github/members', type: 'state', records: [accountRecord('github:acme', 'carol')] }]);
      // Every version stored, named by its key and the day it was first collected.
      const hashes: Record<string, string> = {};
      for (const at of ['2026-02-01T03:00:00Z', '2026-02-03T03:00:00Z', '2026-04-03T03:00:00Z']) {
        for await (const record of other.locker.records({ at: new Date(at) })) if (!Object.values(hashes).includes(record.hash)) hashes[`${record.key} ${at.slice(0, 10)}`] = record.hash;
      }
      const whole = async (within: Period, kind: string, hash: string) => {
        let found: PopulationItem | null = null;
        for await (const item of population(other.locker, { period: within, kind })) if (item.recordHash === hash) found ??= item;
        return found;
      };
      const february = parsePeriod('2026-02-01..2026-02-28', { timezone: 'UTC' });
      const found: Record<string, string | null> = {};
      for (const [name, hash] of Object.entries(hashes)) {
        for (const kind of ['access.account', 'change.request']) {
          const item = await findItem(other.locker, february, kind, hash);
          expect(item).toEqual(await whole(february, kind, hash));
          if (item) found[name] = kind;
        }
      }
      // Members: ann, bob's newer version, the change; not bob's superseded version, nor carol (April), nor any record under another kind.
      expect(found).toEqual({ 'user:ann 2026-02-01': 'access.account', 'user:bob 2026-02-03': 'access.account', 'acme/api#1 2026-02-01': 'change.request' });
      expect(Object.keys(hashes)).toEqual(expect.arrayContaining(['user:bob 2026-02-01', 'user:carol 2026-04-03']));
    } finally {
      await other.cleanup();
    }
  }, 60_000);
});

async function firstHash(login: string): Promise<string | null> {
  for await (const record of synthetic.locker.records({ kind: 'access.account' })) if (record.key === `user:${login}`) return record.hash;
  return null;
}
