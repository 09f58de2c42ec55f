import { describe, it, expect, afterEach } from '@jest/globals';
import { chmodSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { hashCanonical } from '@evidentia/evidence';
import { seededRandom } from '@evidentia/testing';
import type { Provenance } from '@evidentia/sdk';
import type { ProblemCode, VerifyReport } from './index.js';
import { beginTestRun, createTestLocker, MEMBERS, ONE_DAY, provenance, type TestLocker } from './test-locker.js';

let test: TestLocker | undefined;
afterEach(async () => {
  await test?.cleanup();
  test = undefined;
});

const URL = 'https://api.github.com/orgs/acme/members?per_page=100';

/** The members list on a given day: 3,000 members with seeded names, one more of them promoted each day. */
function membersOn(day: number): unknown {
  const random = seededRandom(2024);
  return Array.from({ length: 3000 }, (_, i) => ({
    id: i,
    login: Math.floor(random() * 2 ** 48).toString(36),
    email: `${Math.floor(random() * 2 ** 40).toString(36)}@acme.example`,
    role: i % 97 === 0 && i / 97 < day ? 'admin' : 'member',
  }));
}

/** One committed run that fetched `body` once for the members stream; returns the body hash. */
async function fetchOnce(locker: TestLocker['locker'], body: unknown, request: Provenance = provenance(URL)): Promise<string> {
  const run = await beginTestRun(locker);
  const members = await run.beginStream(MEMBERS);
  const hash = await members.putSnapshot(request, body);
  await members.finish({ status: 'complete', error: null, requests: 1, apiTotal: null, cursorAfter: null });
  await run.commit();
  return hash;
}

function objectsBytes(dir: string): number {
  const root = join(dir, 'objects');
  return readdirSync(root, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .reduce((sum, entry) => sum + statSync(join(entry.parentPath, entry.name)).size, 0);
}

const objectPath = (dir: string, hash: string) => join(dir, 'objects', hash.slice(0, 2), hash.slice(2));
const isGzip = (dir: string, hash: string) => readFileSync(objectPath(dir, hash)).subarray(0, 2).equals(Buffer.from([0x1f, 0x8b]));

function flipByte(dir: string, hash: string): void {
  const path = objectPath(dir, hash);
  chmodSync(path, 0o644);
  const bytes = readFileSync(path);
  bytes[bytes.length - 12] = bytes[bytes.length - 12]! ^ 0xff;
  writeFileSync(path, bytes);
}

function expectProblem(report: VerifyReport, code: ProblemCode, ...named: string[]): void {
  expect(report.ok).toBe(false);
  const matching = report.problems.filter((problem) => problem.code === code && named.every((part) => problem.message.includes(part)));
  if (matching.length === 0) throw new Error(`no ${code} problem naming ${named.join(', ')} in:\n${report.problems.map((p) => `${p.code}: ${p.message}`).join('\n')}`);
}

/** Three daily runs of the same request, the body changing by one item a day. */
async function threeDays(): Promise<string[]> {
  test = await createTestLocker();
  const hashes: string[] = [];
  for (let day = 1; day <= 3; day++) {
    hashes.push(await fetchOnce(test.locker, membersOn(day)));
    test.clock.advance(ONE_DAY);
  }
  return hashes;
}

describe('snapshot bodies stored as deltas', () => {
  it('ten runs re-fetching a large body with one item changed each run grow objects/ by far less than one whole body', async () => {
    test = await createTestLocker();
    const first = await fetchOnce(test.locker, membersOn(1));
    const wholeBody = statSync(objectPath(test.dir, first)).size;
    const afterFirst = objectsBytes(test.dir);
    const hashes = [first];
    for (let day = 2; day <= 10; day++) {
      test.clock.advance(ONE_DAY);
      hashes.push(await fetchOnce(test.locker, membersOn(day)));
    }
    expect(new Set(hashes).size).toBe(10);
    expect(wholeBody).toBeGreaterThan(40_000);
    // Nine new bodies (and nine manifests) cost less than a fifth of one body stored whole.
    expect(objectsBytes(test.dir) - afterFirst).toBeLessThan(wholeBody / 5);
    // Of which the nine bodies are a small part (the rest is each run's manifest).
    const laterBodies = hashes.slice(1).reduce((sum, hash) => sum + statSync(objectPath(test!.dir, hash)).size, 0);
    expect(laterBodies).toBeLessThan(wholeBody / 20);
    for (const [day, hash] of hashes.entries()) expect((await test.locker.readObject(hash)).equals(hashCanonical(membersOn(day + 1)).bytes)).toBe(true);
    expect((await test.locker.verify()).problems).toEqual([]);
  });

  it('serves a delta-stored body again for a conditional request', async () => {
    const [, , last] = await threeDays();
    expect(isGzip(test!.dir, last!)).toBe(false);
    const run = await beginTestRun(test!.locker);
    const previous = await (await run.beginStream(MEMBERS)).previousSnapshot?.('GET', URL);
    expect(previous?.body).toEqual(membersOn(3));
    await run.abort();
  });

  it('takes as base the same request body, not the latest body of the same URL', async () => {
    test = await createTestLocker();
    const post = (query: string): Provenance => ({ ...provenance('https://api.github.com/graphql'), method: 'POST', requestBody: { query } });
    const run = await beginTestRun(test.locker);
    const stream = await run.beginStream(MEMBERS);
    await stream.putSnapshot(post('{ admins }'), { admins: membersOn(1) });
    await stream.putSnapshot(post('{ members }'), { unrelated: Array.from({ length: 3000 }, (_, i) => `entry ${i * 7919}`) });
    await stream.finish({ status: 'complete', error: null, requests: 2, apiTotal: null, cursorAfter: null });
    await run.commit();
    const admins = await fetchOnce(test.locker, { admins: membersOn(2) }, post('{ admins }'));
    expect(isGzip(test.dir, admins)).toBe(false);
  });

  it('takes the body at the same position of the previous run when a page token moved, if it is the same endpoint', async () => {
    test = await createTestLocker();
    const teamsOn = (day: number) => ({ teams: (membersOn(day) as { login: string; role: string }[]).map(({ login, role }, i) => ({ team: `team-${i}`, lead: login, admin: role === 'admin' })) });
    const run = async (day: number, order: ('members' | 'teams')[]) => {
      const writer = await beginTestRun(test!.locker);
      const stream = await writer.beginStream(MEMBERS);
      const hashes: Record<string, string> = {};
      for (const name of order) {
        const url = `https://api.github.com/orgs/acme/${name}?after=${day}-${name}`;
        hashes[name] = await stream.putSnapshot(provenance(url), name === 'members' ? membersOn(day) : teamsOn(day));
      }
      await stream.finish({ status: 'complete', error: null, requests: order.length, apiTotal: null, cursorAfter: null });
      await writer.commit();
      return hashes;
    };
    await run(1, ['members', 'teams']);
    const second = await run(2, ['members', 'teams']);
    expect(isGzip(test.dir, second.members!) || isGzip(test.dir, second.teams!)).toBe(false);
    // Requests in another order: each position held another endpoint the run before, so nothing is taken as base.
    const third = await run(3, ['teams', 'members']);
    expect(isGzip(test.dir, third.members!) && isGzip(test.dir, third.teams!)).toBe(true);
    expect((await test.locker.verify()).problems).toEqual([]);
  });

  it('names the base when verify finds it altered, and names an altered delta', async () => {
    const [base, delta] = await threeDays();
    flipByte(test!.dir, base!);
    const report = await test!.locker.verify();
    expectProblem(report, 'object-altered', `object ${base}`, 'snapshot body #1');
    expectProblem(report, 'object-altered', `object ${delta}`, `is stored as a delta against object ${base}, which`);
    await expect(test!.locker.readObject(delta!)).rejects.toThrow(`object ${delta} is altered: it is stored as a delta against object ${base}`);
  });

  it('names an altered delta object', async () => {
    const [, delta] = await threeDays();
    flipByte(test!.dir, delta!);
    expectProblem(await test!.locker.verify(), 'object-altered', `object ${delta}`, 'snapshot body #1', 'delta');
  });

  it('reports a delta whose base file was deleted as missing, naming the base', async () => {
    const [base, delta, last] = await threeDays();
    rmSync(objectPath(test!.dir, base!));
    const report = await test!.locker.verify();
    expectProblem(report, 'object-missing', `object ${base}`, 'snapshot body #1', 'is missing');
    expectProblem(report, 'object-missing', `object ${delta}`, `is stored as a delta against object ${base}, which is missing`);
    expectProblem(report, 'object-missing', `object ${last}`, `against object ${delta}, which is stored as a delta against object ${base}, which is missing`);
  });
});
