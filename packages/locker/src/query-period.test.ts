/** Period queries: inventories in effect, event records of a period, and the raw material of an audit bundle. */
import { afterEach, describe, expect, it } from '@jest/globals';
import { verify } from 'node:crypto';
import { sha256Hex } from '@evidentia/evidence';
import { documentSignatureValid, merkleRoot, snapshotEntryHash } from './index.js';
import { beginTestRun, collect, createTestLocker, drain, provenance, pullRequest, PULL_REQUESTS, type TestLocker } from './test-locker.js';

let test: TestLocker | undefined;
afterEach(async () => {
  await test?.cleanup();
  test = undefined;
});

const at = (day: number) => new Date(Date.UTC(2025, 2, day, 0, 0, 0));

/** Runs on 1, 5 and 10 March (09:00): members change each time; a PR merged on 28 Feb is collected on 1 March, one "merged" on 6 March later. */
async function threeRuns(): Promise<TestLocker> {
  const t = await createTestLocker('2025-03-01T09:00:00.000Z');
  await collect(t.locker, ['alice', 'bob'], [['acme/api#1', 'first']]);
  t.clock.time = new Date('2025-03-05T09:00:00.000Z');
  await collect(t.locker, ['alice', 'carol'], []);
  t.clock.time = new Date('2025-03-10T09:00:00.000Z');
  await collect(t.locker, ['carol'], []);
  return t;
}

describe('period queries', () => {
  it('finds the inventory in effect at the start of the period and every one inside it', async () => {
    test = await threeRuns();
    const inventories = await test.locker.inventories({ since: at(3), until: at(8), kind: 'access.account' });
    expect(inventories.map((i) => [i.stream, i.sequence, i.recordCount])).toEqual([
      ['github/members', 1, 2],
      ['github/members', 2, 2],
    ]);
    expect(await test.locker.inventories({ since: at(3), until: at(8), kind: 'incident.record' })).toEqual([]);
    const history = await drain(test.locker.inventoryHistory({ since: at(3), until: at(8), kind: 'access.account' }));
    // A record's sources are the snapshot body, which changed: alice has one version per inventory.
    const [first, second] = inventories.map((i) => i.recordSet);
    expect(history.map((v) => [v.record.key, v.sets])).toEqual([
      ['alice', [expect.any(String)]],
      ['alice', [expect.any(String)]],
      ['bob', [first]],
      ['carol', [second]],
    ]);
    expect(history.slice(0, 2).flatMap((v) => v.sets).sort()).toEqual([first, second].sort());
  });

  it('lists event records that happened in the period, whenever they were collected', async () => {
    test = await createTestLocker('2025-03-01T09:00:00.000Z');
    await collect(test.locker, ['alice'], [['acme/api#1', 'first']]);
    const inPeriod = await drain(test.locker.periodEvents({ since: at(1), until: at(2), kind: 'change.request' }));
    expect(inPeriod).toEqual([]);
    const february = await drain(test.locker.periodEvents({ since: new Date('2025-02-28T00:00:00Z'), until: at(1), kind: 'change.request' }));
    expect(february.map((r) => r.key)).toEqual(['acme/api#1']);
    const runs = await test.locker.periodStreamRuns({ since: new Date('2025-02-28T00:00:00Z'), until: at(1) });
    // The run that collected the February PR started on 1 March, after the period: it is still part of the evidence.
    expect(runs.map((r) => `${r.instance}/${r.stream}`)).toEqual(['github/pull_requests']);
  });

  it('compares times as instants: stored offsets and shapes, and bounds past the year 9999', async () => {
    test = await createTestLocker('2025-03-01T09:00:00.000Z');
    const run = await beginTestRun(test.locker);
    const pulls = await run.beginStream(PULL_REQUESTS);
    const body = await pulls.putSnapshot(provenance('https://api.github.com/graphql'), []);
    const times: [string, string][] = [
      ['late-berlin', '2025-03-01T00:30:00+01:00'], // 23:30 UTC on 28 February: inside, though its text sorts after the bound
      ['no-millis', '2025-02-28T23:59:59Z'],
      ['at-the-end', '2025-03-01T00:00:00Z'], // the end is exclusive
      ['early-new-york', '2025-02-27T20:00:00-05:00'], // 01:00 UTC on 28 February: inside
    ];
    for (const [id, time] of times) await pulls.putRecord({ ...pullRequest(id, id, [body]), occurredAt: time });
    await pulls.finish({ status: 'complete', error: null, requests: 1, apiTotal: null, cursorAfter: null });
    await run.commit();
    const keys = async (since: Date, until: Date) => (await drain(test!.locker.periodEvents({ since, until, kind: 'change.request' }))).map((r) => r.key).sort();
    expect(await keys(new Date('2025-02-28T00:00:00Z'), at(1))).toEqual(['early-new-york', 'late-berlin', 'no-millis']);
    const farFuture = new Date(Date.UTC(10_000, 0, 1));
    expect(farFuture.toISOString()).toBe('+010000-01-01T00:00:00.000Z');
    expect(await keys(new Date('2025-02-28T00:00:00Z'), farFuture)).toEqual(['at-the-end', 'early-new-york', 'late-berlin', 'no-millis']);
    expect((await test.locker.periodStreamRuns({ since: at(1), until: farFuture })).map((r) => r.stream)).toEqual(['pull_requests']);
    expect(await drain(test.locker.streamRuns({ startedBy: farFuture }))).toHaveLength(1);
    expect(await drain(test.locker.records({ at: farFuture }))).toHaveLength(4);
  });

  it('hands out what a bundle needs: manifest rows, snapshot entries, record text and document signatures', async () => {
    test = await threeRuns();
    const manifests = await test.locker.manifests();
    expect(manifests.map((m) => m.sequence)).toEqual([1, 2, 3]);
    expect(manifests[1]!.previous).toBe(manifests[0]!.hash);
    const bytes = await test.locker.readObject(manifests[0]!.hash);
    expect(verify(null, bytes, await test.locker.publicKey(), Buffer.from(manifests[0]!.signature, 'base64'))).toBe(true);

    const run = (await test.locker.runs())[0]!;
    const members = run.streams.find((s) => s.stream === 'members')!;
    const entries = await drain(test.locker.snapshotEntries(run.runId, 'github/members'));
    expect(entries.map((e) => e.seq)).toEqual([1]);
    expect(merkleRoot(entries.map((e) => snapshotEntryHash(JSON.stringify(e.provenance), e.bodyHash)))).toBe(members.snapshotRoot);

    const texts = await drain(test.locker.setRecords([members.recordSet]));
    expect(texts.map((t) => sha256Hex(t.json))).toEqual(texts.map((t) => t.hash));
    expect(merkleRoot(texts.map((t) => t.hash))).toBe(members.recordRoot);

    const document = Buffer.from('{"files":[]}');
    const { signature, keyId } = await test.locker.signDocument('evidentia.bundle-index/1', document);
    expect(keyId).toMatch(/^[0-9a-f]{64}$/);
    const pem = await test.locker.publicKey();
    expect(documentSignatureValid(pem, 'evidentia.bundle-index/1', document, signature)).toBe(true);
    expect(documentSignatureValid(pem, 'evidentia.other/1', document, signature)).toBe(false);
    // A document signature never verifies as a signature of the bare bytes (a manifest's).
    expect(verify(null, document, pem, Buffer.from(signature, 'base64'))).toBe(false);
  });
});
