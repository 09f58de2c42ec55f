/**
 * A page of a population read by SQL equals the same slice of the whole
 * population: on a real locker with many runs over months (items added,
 * changed and dropped between runs, an item held by every inventory, several
 * systems in one stream, state and event kinds, a kind in both a state and an
 * event stream, events changing their occurrence across a period's edge), every period (one ending 9999-12-31
 * too), kind, system and page size, page after page. One record's row by its
 * hash equals the row the whole population holds for it, or null alike.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { parsePeriod } from '@evidentia/time';
import { createSyntheticLocker, type SyntheticLocker, type SyntheticStream } from '../checks/synthetic-locker.js';
import { accountRecord, configRecord, incidentRecord, pullRequestRecord } from '../checks/synthetic-records.js';
import type { PopulationItem } from './item.js';
import { population } from './population.js';
import { populationItemOf, populationPage } from './population-page.js';

const PERIODS = ['2026-01-01..2026-01-31', '2026-02-01..2026-02-28', '2026-02-15..2026-03-10', '2026-03-01..9999-12-31', '2025-01-01..2025-12-31', '2026-01-01..2026-12-31'];
const KINDS = ['access.account', 'change.config', 'change.request', 'incident.record', 'evidentia.access-review'];
const SYSTEMS = ['', 'github:acme', 'github:beta', 'okta:acme', 'nowhere'];
let synthetic: SyntheticLocker;
const hashes = new Set<string>();

/** A small deterministic generator, so the locker is the same each run. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    return state / 2 ** 31;
  };
}

function streamsOf(run: number, next: () => number): SyntheticStream[] {
  const accounts = [accountRecord('github:acme', 'always')];
  for (let user = 0; user < 12; user++) {
    if (next() < 0.7) accounts.push(accountRecord(user % 3 === 0 ? 'github:beta' : 'github:acme', `u${user}`, { status: next() < 0.3 ? 'suspended' : 'active', mfa: next() < 0.5 ? 'enabled' : 'disabled' }));
  }
  const okta = Array.from({ length: 5 }, (_, user) => accountRecord('okta:acme', `o${user}`, { privileged: next() < 0.5 })).filter(() => next() < 0.8);
  const settings = Array.from({ length: 4 }, (_, repo) => configRecord('change.config', repo % 2 ? 'github:acme' : 'github:beta', `acme/r${repo}`, 'branch-protection', { reviews: Math.floor(next() * 3) })).filter(() => next() < 0.8);
  const changes = Array.from({ length: 9 }, (_, pr) => {
    // A change's merge time moves between runs, across the periods' edges (its newest version decides).
    const day = 1 + Math.floor(next() * 27);
    const month = 1 + Math.floor(next() * 4);
    return pullRequestRecord(pr % 2 ? 'github:beta' : 'github:acme', `acme/api#${pr}`, { mergedAt: `2026-0${month}-${String(day).padStart(2, '0')}T${pr % 2 ? '00:00:00' : '23:59:59'}Z`, title: `Change ${pr} (run ${run})` });
  }).filter(() => next() < 0.6);
  const incidents = Array.from({ length: 4 }, (_, id) => incidentRecord('okta:acme', `INC-${id}`, { openedAt: `2026-0${1 + (id % 3)}-01T00:00:00Z`, status: next() < 0.5 ? 'open' : 'resolved' })).filter(() => next() < 0.7);
  return [
    { stream: 'github/members', type: 'state', records: accounts, status: next() < 0.15 ? 'failed' : 'complete' },
    { stream: 'okta/users', type: 'state', records: okta },
    { stream: 'github/branch_protection', type: 'state', records: settings },
    { stream: 'github/pull_requests', type: 'event', records: changes },
    { stream: 'pagerduty/incidents', type: 'event', records: incidents },
    // The same kind in a state stream too: its population lists these inventory items first, then the events, and pages cross from one to the other.
    { stream: 'pagerduty/open_incidents', type: 'state', records: Array.from({ length: 3 }, (_, id) => incidentRecord(id % 2 ? 'okta:acme' : 'github:acme', `OPEN-${id}`)).filter(() => next() < 0.8) },
  ];
}

beforeAll(async () => {
  synthetic = await createSyntheticLocker();
  const next = random(17);
  const start = Date.parse('2026-01-01T02:00:00Z');
  // Fourteen runs over four months: including one on 2026-02-15 at midnight and the first of March at midnight (period starts).
  const times = Array.from({ length: 12 }, (_, index) => new Date(start + index * 9.5 * 86_400_000).toISOString());
  times.push('2026-02-15T00:00:00.000Z', '2026-03-01T00:00:00.000Z');
  times.sort();
  for (const [index, at] of times.entries()) await synthetic.run(at, streamsOf(index, next));
  for await (const record of synthetic.locker.records({})) hashes.add(record.hash);
  for (const at of times) for await (const record of synthetic.locker.records({ at: new Date(at) })) hashes.add(record.hash);
}, 120_000);
afterAll(async () => synthetic.cleanup());

async function whole(period: string, kind: string): Promise<PopulationItem[]> {
  const items: PopulationItem[] = [];
  for await (const item of population(synthetic.locker, { period: parsePeriod(period), kind })) items.push(item);
  return items;
}

describe('populationPage', () => {
  it.each(PERIODS)('equals the whole population page by page in %s', async (text) => {
    const period = parsePeriod(text);
    let compared = 0;
    let crossing = 0;
    for (const kind of KINDS) {
      const all = await whole(text, kind);
      // Inventory rows (no occurrence) then event rows of one kind: pages cross from one to the other.
      if (all.some((item) => item.occurredAt === null) && all.some((item) => item.occurredAt !== null)) crossing++;
      const systems = [...new Set(all.map((item) => item.system))].sort();
      for (const system of SYSTEMS) {
        const expected = all.filter((item) => system === '' || item.system === system);
        for (const limit of [1, 3, 7, 1000]) {
          const read: PopulationItem[] = [];
          for (let offset = 0; offset <= expected.length; offset += limit) {
            const page = await populationPage(synthetic.locker, { period, kind, system, offset, limit });
            expect(page.matched).toBe(expected.length);
            expect(page.systems).toEqual(systems);
            expect(page.items).toEqual(expected.slice(offset, offset + limit));
            read.push(...page.items);
          }
          expect(read).toEqual(expected);
          compared += read.length;
        }
      }
    }
    // The locker gives every period but 2025 something to compare.
    if (!text.startsWith('2025')) expect(compared).toBeGreaterThan(50);
    if (text.startsWith('2026-01-01')) expect(crossing).toBe(1);
  });

  it('gives an empty page past the end, still counting', async () => {
    const period = parsePeriod('2026-01-01..2026-12-31');
    const all = await whole('2026-01-01..2026-12-31', 'access.account');
    const page = await populationPage(synthetic.locker, { period, kind: 'access.account', offset: all.length + 5, limit: 10 });
    expect(page).toEqual({ items: [], matched: all.length, systems: ['github:acme', 'github:beta', 'okta:acme'] });
  });
});

describe('populationItemOf', () => {
  it.each(PERIODS)('finds what the whole population holds, and nothing else, in %s', async (text) => {
    const period = parsePeriod(text);
    let members = 0;
    let others = 0;
    for (const kind of KINDS) {
      const all = await whole(text, kind);
      for (const hash of hashes) {
        const expected = all.find((item) => item.recordHash === hash) ?? null;
        expect(await populationItemOf(synthetic.locker, { period, kind }, hash)).toEqual(expected);
        if (expected) members++;
        else others++;
      }
    }
    // Members and non-members (another period, another kind, a superseded version) are both compared.
    if (!text.startsWith('2025')) expect(members).toBeGreaterThan(5);
    expect(others).toBeGreaterThan(50);
  });

  it('finds nothing for a hash no record has', async () => {
    expect(await populationItemOf(synthetic.locker, { period: parsePeriod('2026-01-01..2026-12-31'), kind: 'access.account' }, 'f'.repeat(64))).toBeNull();
  });
});
