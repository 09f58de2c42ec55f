/**
 * queryInventoryHistory sorts rowids and reads each version's JSON by rowid
 * (issue 15). On random inventories it must yield exactly what the query it
 * replaced yielded, kept here as the reference: SQLite sorted the whole rows,
 * JSON included.
 */
import { afterEach, describe, expect, it } from '@jest/globals';
import { join } from 'node:path';
import { seededRandom } from '@evidentia/testing';
import { inventoryVersions, parameters, queryInventoryHistory } from './query-period.js';
import { openDatabase, type Db } from './schema.js';
import { account, beginTestRun, createTestLocker, MEMBERS, ONE_DAY, provenance, type TestLocker } from './test-locker.js';
import type { InventoryVersion, PeriodPage, PeriodQuery } from './types.js';

/** The rows of the query before the change, as it was: one per version and set, in order. */
function wholeRowHistory(db: Db, query: PeriodQuery, page: PeriodPage = {}): { hash: string; json: string; record_set: string }[] {
  const paged = page.system !== undefined || page.key !== undefined || (page.offset ?? 0) > 0 || page.limit !== undefined;
  const items = paged ? `, items AS MATERIALIZED (SELECT DISTINCT r.system, r.key, r.kind FROM versions r ORDER BY r.system, r.key, r.kind LIMIT @limit OFFSET @offset)` : '';
  return db
    .prepare(
      `WITH ${inventoryVersions(db, query, paged)}${items}
       SELECT v.hash, r.json, v.record_set AS record_set
       FROM versions v JOIN records r ON r.rowid = v.id
       ${paged ? 'WHERE (v.system, v.key, v.kind) IN (SELECT system, key, kind FROM items)' : ''}
       ORDER BY v.system, v.key, v.kind, v.hash`,
    )
    .all(parameters(query, page)) as { hash: string; json: string; record_set: string }[];
}

/** The versions as (version, set) rows, each version's record as stored: what the old rows say. */
const asRows = (versions: InventoryVersion[]) =>
  versions.flatMap(({ record, sets }) => {
    const { hash, ...stored } = record;
    return sets.map((set) => ({ hash, stored, set }));
  });

const LOGINS = ['ada', 'bob', 'cy', 'dee', 'eve', 'fay', 'gus', 'hal', 'ivy', 'jo', 'kim', 'lu'];
const STREAMS = [MEMBERS, { ...MEMBERS, instance: 'okta', connector: 'okta' }];
const SYSTEMS = ['github:acme', 'github:beta'];

let test: TestLocker | undefined;
afterEach(async () => {
  await test?.cleanup();
  test = undefined;
});

/** Runs a day apart, each observing a random part of the logins in each stream, some of them changed (a new version), most as before (the same version in several sets). */
async function randomLocker(random: () => number): Promise<TestLocker> {
  const t = await createTestLocker('2025-03-01T09:00:00.000Z');
  const pick = <T>(values: readonly T[]) => values[Math.floor(random() * values.length)]!;
  const runs = 2 + Math.floor(random() * 4);
  for (let n = 0; n < runs; n++) {
    const run = await beginTestRun(t.locker);
    for (const start of STREAMS) {
      if (random() < 0.2) continue;
      const stream = await run.beginStream(start);
      const body = await stream.putSnapshot(provenance(`https://${start.instance}.example/members`), { page: 1 });
      for (const login of LOGINS.filter(() => random() < 0.7)) {
        const record = { ...account(login, [body], { privileged: random() < 0.3 }), stream: `${start.instance}/members`, system: pick(SYSTEMS) };
        await stream.putRecord(random() < 0.2 ? { ...record, key: `${login}@${pick(SYSTEMS)}` } : record);
      }
      await stream.finish({ status: 'complete', error: null, requests: 1, apiTotal: null, cursorAfter: null });
    }
    await run.commit();
    t.clock.advance(ONE_DAY * (0.5 + random()));
  }
  return t;
}

describe('queryInventoryHistory', () => {
  it('yields exactly the sequence the whole-row sort did, on random inventories, periods and pages', async () => {
    for (const seed of [1, 2, 3, 4, 5, 6]) {
      const random = seededRandom(seed);
      test = await randomLocker(random);
      const db = openDatabase(join(test.dir, 'locker.db'), { readonly: true });
      try {
        const day = (n: number) => new Date(Date.UTC(2025, 2, 1) + n * ONE_DAY);
        for (let q = 0; q < 12; q++) {
          const since = day(random() * 6);
          const query: PeriodQuery = { since, until: new Date(since.getTime() + random() * 5 * ONE_DAY), kind: random() < 0.7 ? 'access.account' : undefined, control: random() < 0.2 ? 'CC6.1' : undefined };
          const pages: PeriodPage[] = [{}, { offset: Math.floor(random() * 6), limit: 1 + Math.floor(random() * 8) }, { system: SYSTEMS[q % 2] }, { key: LOGINS[q]! }];
          for (const page of pages) {
            const old = wholeRowHistory(db, query, page);
            const versions = [...queryInventoryHistory(db, query, page)];
            expect(asRows(versions)).toEqual(old.map((row) => ({ hash: row.hash, stored: JSON.parse(row.json) as unknown, set: row.record_set })));
            // One version per run of rows with the same hash, as the old query's rows were merged.
            expect(versions).toHaveLength(old.filter((row, n) => row.hash !== old[n - 1]?.hash).length);
            if (Object.keys(page).length === 0 && q === 0) expect(old.length).toBeGreaterThan(0);
          }
        }
      } finally {
        db.close();
      }
      await test.cleanup();
      test = undefined;
    }
  });
});
