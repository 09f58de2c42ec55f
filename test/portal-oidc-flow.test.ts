/**
 * The portal's OIDC sign-in over real HTTP without a browser: the portal app on
 * 127.0.0.1 and the test provider (test/oidc-provider.ts), the redirects followed
 * by hand. ID tokens a careless relying party would take are refused with no
 * session (unsigned, HS256 keyed with the public key, another issuer, issued in
 * the future), a JWKS that cannot be fetched is a refusal that says so, and
 * every refusal is in the portal's audit log.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { createSyntheticLocker, type SyntheticLocker } from '@evidentia/audit/testing';
import type { PortalLogInput } from '@evidentia/locker';
import { AuditLog } from '../packages/portal/src/audit-log.js';
import { Judgements } from '../packages/portal/src/judgements.js';
import { OidcSignIn } from '../packages/portal/src/oidc.js';
import { PeriodAccess } from '../packages/portal/src/periods.js';
import { PortalSettings } from '../packages/portal/src/settings.js';
import { cookiesOf, startTestPortal, type TestPortal, valueOf } from '../packages/portal/src/test-portal.test-support.js';
import { startTestProvider, type TestProvider, type TestUser, type TokenFault } from './oidc-provider.js';

const CLIENT = { id: 'evidentia-portal', secret: 'oidc-client-secret-7d2e' };
const TEAM: TestUser = { sub: 'u-1', email: 'tess@acme.example', groups: ['security'] };
const config = { file: 'portal-oidc-flow.yaml', instances: [], checks: {}, people: { aliases: {} }, timezone: 'UTC' };
const secret = { reference: '${env:OIDC_SECRET}', reveal: () => CLIENT.secret };

let synthetic: SyntheticLocker;
let provider: TestProvider;
const open: TestPortal[] = [];

beforeAll(async () => {
  synthetic = await createSyntheticLocker();
  provider = await startTestProvider(CLIENT);
}, 60_000);

afterEach(async () => {
  provider.jwksDown(false);
  for (const portal of open.splice(0)) await portal.close();
});

afterAll(async () => {
  await provider?.close();
  await synthetic?.cleanup();
});

/** A portal with OIDC sign-in only (its own OidcSignIn, so no JWKS is cached from another test) and the events it logs. */
async function portal(clientSecret = secret): Promise<{ portal: TestPortal; events: PortalLogInput[]; logged: string[] }> {
  const settings = PortalSettings.parse({
    auditPeriods: ['2026-01-01..2026-03-31'],
    oidc: { issuer: provider.issuer, clientId: CLIENT.id, clientSecret, redirectUrl: 'http://127.0.0.1:1/sign-in/oidc/callback', roles: [{ group: 'security', role: 'team' }] },
  });
  const events: PortalLogInput[] = [];
  const logged: string[] = [];
  const started = await startTestPortal({
    settings,
    periods: new PeriodAccess(config, settings),
    judgements: await Judgements.create(synthetic.locker, config),
    secureCookies: false,
    oidc: await OidcSignIn.discover(settings.oidc!),
    log: (line) => logged.push(line),
    auditLog: new AuditLog(async (batch) => events.push(...batch), () => {}, 1),
  });
  open.push(started);
  return { portal: started, events, logged };
}

/** A flow started at the portal and approved at the provider: its flow cookie and the callback the IdP sends the browser to. */
async function approved(portal: TestPortal, user: TestUser, fault: TokenFault = 'none'): Promise<{ flow: string; callback: string }> {
  const start = await portal.get('/sign-in/oidc');
  expect(start.status).toBe(303);
  const flow = valueOf(cookiesOf(start).get('evidentia_oidc')!);
  provider.next(user, fault);
  const approve = await (await fetch(start.headers.get('location')!)).text();
  const ticket = /name="ticket" value="([^"]+)"/.exec(approve)![1]!;
  const back = await fetch(`${provider.issuer}/approve`, { method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: `ticket=${ticket}` });
  const callback = new URL(back.headers.get('location')!);
  return { flow, callback: `${callback.pathname}${callback.search}` };
}

const callbackWith = (portal: TestPortal, callback: string, flow: string, held?: string) => portal.get(callback, undefined, { headers: { cookie: `evidentia_oidc=${flow}${held ? `; evidentia_session=${held}` : ''}` } });

/** One sign-in through the provider, as a browser follows it: the portal's callback answer. */
async function signInThrough(portal: TestPortal, user: TestUser, fault: TokenFault = 'none', held?: string): Promise<Response> {
  const { flow, callback } = await approved(portal, user, fault);
  return callbackWith(portal, callback, flow, held);
}

const problemOf = async (response: Response) => /<p class="error"[^>]*>([^<]*)<\/p>/.exec(await response.text())?.[1] ?? '';

describe('OIDC sign-in over HTTP', () => {
  it('opens a session for a mapped user: HttpOnly, SameSite=Strict, the flow cookie cleared', async () => {
    const { portal: served, events } = await portal();
    const answer = await signInThrough(served, TEAM);
    expect(answer.status).toBe(200);
    const session = cookiesOf(answer).get('evidentia_session')!;
    expect(session).toMatch(/; HttpOnly/);
    expect(session).toMatch(/; SameSite=Strict/);
    expect(cookiesOf(answer).get('evidentia_oidc')).toMatch(/^evidentia_oidc=;/);
    expect((await served.get('/runs', valueOf(session))).status).toBe(200);
    await served.close();
    expect(events.map(({ action, user, role }) => [action, user, role])).toEqual([['sign-in', 'tess@acme.example', 'team'], ['view', 'tess@acme.example', 'team']]);
  }, 60_000);

  it("refuses a callback brought to another flow (an attacker's code in the victim's browser), and spends the victim's flow", async () => {
    const { portal: served } = await portal();
    const victim = await approved(served, TEAM);
    const attacker = await approved(served, { sub: 'u-9', groups: ['security'] });
    const injected = await callbackWith(served, attacker.callback, victim.flow);
    expect(injected.status).toBe(403);
    expect(cookiesOf(injected).has('evidentia_session')).toBe(false);
    expect(await problemOf(injected)).toMatch(/state/);
    // The flow is used once: its own callback, now, opens nothing either.
    expect((await callbackWith(served, victim.callback, victim.flow)).status).toBe(403);
  }, 60_000);

  it('ends the session the browser held when it signs in again', async () => {
    const { portal: served, events } = await portal();
    const before = valueOf(cookiesOf(await signInThrough(served, TEAM)).get('evidentia_session')!);
    const again = await signInThrough(served, TEAM, 'none', before);
    expect(again.status).toBe(200);
    const after = valueOf(cookiesOf(again).get('evidentia_session')!);
    expect(after).not.toBe(before);
    expect((await served.get('/runs', before)).status).toBe(303);
    expect((await served.get('/runs', after)).status).toBe(200);
    // Starting a sign-in with the ended session's cookie still in the browser is no denial: only the page it tried is.
    expect((await served.get('/sign-in/oidc', before)).status).toBe(303);
    await served.close();
    expect(events.filter((event) => event.user === '(unknown)').map(({ target, outcome }) => [target, outcome])).toEqual([['/runs', '303 no live session']]);
  }, 60_000);

  it.each<[TokenFault, RegExp]>([
    ['unsigned', /refused: .*alg/i],
    ['hmac-public-key', /refused: .*alg/i],
    ['issuer', /refused: .*iss/i],
    ['future', /refused: .*iat/i],
  ])('refuses an ID token that is %s with no session, and logs the refusal', async (fault, reason) => {
    const { portal: served, events } = await portal();
    const answer = await signInThrough(served, TEAM, fault);
    expect(answer.status).toBe(403);
    expect(cookiesOf(answer).has('evidentia_session')).toBe(false);
    expect(await problemOf(answer)).toMatch(reason);
    await served.close();
    expect(events.map(({ action, outcome }) => [action, outcome])).toEqual([['sign-in-failed', '403']]);
  }, 60_000);

  it('logs a refused user whose claims carry control characters on one line, the characters shown, never sent to the terminal', async () => {
    const { portal: served, logged } = await portal();
    const answer = await signInThrough(served, { sub: 'u-7\nportal: OIDC sign-in of admin@acme.example accepted\u001b[2K', groups: ['staff'] });
    expect(answer.status).toBe(403);
    expect(logged).toEqual(['portal: OIDC sign-in refused: u-7\\nportal: OIDC sign-in of admin@acme.example accepted\\x1b[2K is not given a role by portal.oidc.roles']);
  }, 60_000);

  it('says the JWKS could not be fetched when the provider does not answer it, and opens no session', async () => {
    const { portal: served, events, logged } = await portal();
    provider.jwksDown(true);
    const answer = await signInThrough(served, TEAM);
    expect(answer.status).toBe(403);
    expect(cookiesOf(answer).has('evidentia_session')).toBe(false);
    const problem = await problemOf(answer);
    expect(problem).toContain(`the JWKS ${provider.issuer}/jwks answered HTTP 503`);
    await served.close();
    expect(logged).toEqual([expect.stringContaining(`portal: OIDC sign-in refused: the identity provider's answer was refused: unexpected HTTP response status code (the JWKS ${provider.issuer}/jwks answered HTTP 503)`)]);
    expect(events.map(({ action, outcome }) => [action, outcome])).toEqual([['sign-in-failed', '403']]);
  }, 60_000);

  it("says the token endpoint's OAuth error when it refuses the client (a wrong client secret)", async () => {
    const { portal: served } = await portal({ ...secret, reveal: () => 'not-the-secret' });
    const answer = await signInThrough(served, TEAM);
    expect(answer.status).toBe(403);
    expect(await problemOf(answer)).toMatch(/\(invalid_client\)$/);
  }, 60_000);

  it('refuses at start a client without a secret when the IdP takes no public client, rather than at every sign-in', async () => {
    const without = PortalSettings.parse({ oidc: { issuer: provider.issuer, clientId: CLIENT.id, redirectUrl: 'http://127.0.0.1:1/sign-in/oidc/callback', roles: [{ group: 'security', role: 'team' }] } });
    await expect(OidcSignIn.discover(without.oidc!)).rejects.toThrow(`portal.oidc.clientSecret: not set, but the identity provider ${provider.issuer} takes no public client (its token_endpoint_auth_methods_supported: client_secret_basic): give the client secret by reference, e.g. \${env:NAME}`);
  });

  it('names the discovery document and its status when the issuer does not serve one', async () => {
    const settings = PortalSettings.parse({ oidc: { issuer: `${provider.issuer}/tenant`, clientId: CLIENT.id, redirectUrl: 'http://127.0.0.1:1/sign-in/oidc/callback', roles: [{ group: 'security', role: 'team' }] } });
    await expect(OidcSignIn.discover(settings.oidc!)).rejects.toThrow(`portal.oidc.issuer ${provider.issuer}/tenant: discovery failed: unexpected HTTP response status code (the identity provider ${provider.issuer}/tenant/.well-known/openid-configuration answered HTTP 404)`);
  });
});
