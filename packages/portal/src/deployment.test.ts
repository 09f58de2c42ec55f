/**
 * Where the portal meets its deployment: the sign-in limit is keyed by the
 * client address, which comes from X-Forwarded-For only when
 * portal.trustProxy says a proxy sets it (else anyone could pick a fresh
 * address per guess); sessions live in memory, so a restart signs
 * everyone out; and inside `daemon --serve`, /health is the daemon's.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { createSyntheticLocker, type SyntheticLocker } from '@evidentia/audit/testing';
import { buildPortalApp } from './app.js';
import { Judgements } from './judgements.js';
import { hashPassword } from './passwords.js';
import { PeriodAccess } from './periods.js';
import { PortalSettings } from './settings.js';

const config = { file: 'portal-test.yaml', instances: [], checks: {}, people: { aliases: {} }, timezone: 'UTC', requests: [] };
let synthetic: SyntheticLocker;
let passwordHash: string;
const open: FastifyInstance[] = [];

async function start(trustProxy: boolean | string[], health?: () => { status: string }): Promise<string> {
  const settings = PortalSettings.parse({ users: [{ name: 'tom', role: 'team', passwordHash }, { name: 'ann', role: 'auditor', passwordHash }], auditPeriods: ['2026-01-01..2026-03-31'], trustProxy });
  const app = await buildPortalApp({ settings, periods: new PeriodAccess(config, settings), judgements: await Judgements.create(synthetic.locker, config), secureCookies: false, log: () => {}, ...(health ? { health } : {}) });
  await app.listen({ host: '127.0.0.1', port: 0 });
  open.push(app);
  return `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
}

/** One sign-in attempt (with a fresh CSRF cookie and token) claiming to come from `forwardedFor`. */
async function attempt(base: string, password: string, forwardedFor: string, name = 'tom'): Promise<Response> {
  const form = await fetch(`${base}/sign-in`);
  const csrf = form.headers.getSetCookie().find((line) => line.startsWith('evidentia_csrf='))!.split(';')[0]!.split('=')[1]!;
  return fetch(`${base}/sign-in`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: `evidentia_csrf=${csrf}`, 'x-forwarded-for': forwardedFor },
    body: new URLSearchParams({ csrf, name, password }).toString(),
  });
}

beforeAll(async () => {
  synthetic = await createSyntheticLocker();
  passwordHash = await hashPassword('pw');
}, 60_000);

afterEach(async () => {
  for (const app of open.splice(0)) await app.close();
});

afterAll(async () => {
  await synthetic?.cleanup();
});

describe('portal behind a proxy, and across a restart', () => {
  it('ignores X-Forwarded-For unless trustProxy is set: five failures from one socket address lock it out whatever the header says', async () => {
    const base = await start(false);
    for (let guess = 1; guess <= 5; guess += 1) expect((await attempt(base, 'wrong', `10.0.0.${guess}`)).status).toBe(401);
    const locked = await attempt(base, 'pw', '10.0.0.99');
    expect(locked.status).toBe(429);
    expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(0);
  }, 60_000);

  it('with trustProxy, keys the limit by the forwarded client address', async () => {
    const base = await start(true);
    for (let guess = 1; guess <= 5; guess += 1) expect((await attempt(base, 'wrong', '10.0.0.1')).status).toBe(401);
    expect((await attempt(base, 'pw', '10.0.0.1')).status).toBe(429);
    expect((await attempt(base, 'pw', '10.0.0.2')).status).toBe(303);
  }, 60_000);

  it('with trustProxy true, trusts only the hop in front: the entries a client writes before the proxy\'s do not change its address', async () => {
    const base = await start(true);
    // The proxy appends the address it saw (10.0.0.1) to whatever X-Forwarded-For the client sent.
    for (let guess = 1; guess <= 5; guess += 1) expect((await attempt(base, 'wrong', `203.0.113.${guess}, 10.0.0.1`)).status).toBe(401);
    expect((await attempt(base, 'pw', '203.0.113.99, 10.0.0.1')).status).toBe(429);
    expect((await attempt(base, 'pw', '10.0.0.1, 10.0.0.2')).status).toBe(303);
  }, 60_000);

  it("with trustProxy listing the proxy's address, takes the first entry from the right that is not a listed proxy", async () => {
    const base = await start(['127.0.0.1']);
    for (let guess = 1; guess <= 5; guess += 1) expect((await attempt(base, 'wrong', `203.0.113.${guess}, 10.0.0.1`)).status).toBe(401);
    expect((await attempt(base, 'pw', '203.0.113.99, 10.0.0.1')).status).toBe(429);
    expect((await attempt(base, 'pw', '10.0.0.2, 127.0.0.1')).status).toBe(303);
  }, 60_000);

  it("keeps counting guesses at one account while another account signs in from the same address", async () => {
    const base = await start(false);
    for (let round = 1; round <= 2; round += 1) {
      for (let guess = 1; guess <= 2; guess += 1) expect((await attempt(base, 'wrong', '10.0.0.1', 'tom')).status).toBe(401);
      expect((await attempt(base, 'pw', '10.0.0.1', 'ann')).status).toBe(303);
    }
    expect((await attempt(base, 'wrong', '10.0.0.1', 'tom')).status).toBe(401);
    // Five guesses at tom in the window: ann's sign-ins between them cleared none, so the right password is refused too.
    expect((await attempt(base, 'pw', '10.0.0.1', 'tom')).status).toBe(429);
    expect((await attempt(base, 'pw', '10.0.0.1', 'ann')).status).toBe(429);
  }, 60_000);

  it('counts parallel attempts before their password checks finish: of 30 at once, 5 are checked and 25 refused', async () => {
    const base = await start(false);
    const answers = await Promise.all(Array.from({ length: 30 }, () => attempt(base, 'wrong', '10.0.0.1')));
    const statuses = answers.map((answer) => answer.status);
    expect([statuses.filter((status) => status === 401).length, statuses.filter((status) => status === 429).length]).toEqual([5, 25]);
    expect((await attempt(base, 'pw', '10.0.0.1')).status).toBe(429);
  }, 60_000);

  it('answers /health from the daemon\'s snapshot: 503 when degraded, the whole snapshot to team only', async () => {
    const snapshot = { status: 'degraded', pid: 42, streams: [{ stream: 'github/members', lastError: 'HTTP 502' }] };
    const base = await start(false, () => snapshot);
    const sessionOf = async (name: string) => (await attempt(base, 'pw', '10.0.0.1', name)).headers.getSetCookie().find((line) => line.startsWith('evidentia_session='))!.split(';')[0]!;
    const health = async (cookie?: string) => {
      const response = await fetch(`${base}/health`, { headers: cookie ? { cookie } : {} });
      return [response.status, await response.json()];
    };
    expect(await health()).toEqual([503, { status: 'degraded' }]);
    expect(await health(await sessionOf('ann'))).toEqual([503, { status: 'degraded' }]);
    expect(await health(await sessionOf('tom'))).toEqual([503, snapshot]);
    snapshot.status = 'ok';
    expect(await health()).toEqual([200, { status: 'ok' }]);
    // Without the daemon (`evidentia serve` alone), the portal answers that it serves.
    const alone = await fetch(`${await start(false)}/health`);
    expect([alone.status, await alone.json()]).toEqual([200, { status: 'ok' }]);
  }, 60_000);

  it('keeps sessions in memory only: after a restart the old session cookie leads to sign-in', async () => {
    const first = await start(false);
    const signedIn = await attempt(first, 'pw', '10.0.0.1');
    expect(signedIn.status).toBe(303);
    const session = signedIn.headers.getSetCookie().find((line) => line.startsWith('evidentia_session='))!.split(';')[0]!;
    expect((await fetch(`${first}/runs`, { redirect: 'manual', headers: { cookie: session } })).status).toBe(200);
    await open.pop()!.close();
    const restarted = await start(false);
    const after = await fetch(`${restarted}/runs`, { redirect: 'manual', headers: { cookie: session } });
    expect([after.status, after.headers.get('location')]).toEqual([303, '/sign-in']);
  }, 60_000);
});
