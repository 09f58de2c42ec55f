/**
 * `evidentia serve` with OIDC sign-in, end to end: a provider written for
 * the test (test/oidc-provider.ts, on 127.0.0.1, signing with a key made at
 * start) and Debian's chromium following the real redirects. A user the
 * config's rules map gets in with that role (an auditor only within their
 * periods); an unmapped user, an unverified email, and ID tokens that are
 * forged, expired, for another audience or carry the wrong nonce are
 * refused with no session; the client secret (an env reference) is never
 * printed. Sign-out ends the portal's session and is logged; it goes on to
 * the IdP's RP-initiated logout when the IdP advertises one, and otherwise
 * says the IdP's session remains.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { appendFile, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { DEMO_PERIOD, demoLocker, portalUrl, runCli, spawnCli } from './cli.js';
import { launchChromium } from './portal-demo.js';
import { startTestProvider, type TestProvider, type TestUser, type TokenFault } from './oidc-provider.js';

const CLIENT = { id: 'evidentia-portal', secret: 'oidc-client-secret-3f9a1c' };
const OUTSIDE = '2025-01-01..2025-06-30';
const TEAM: TestUser = { sub: 'u-1', email: 'tess@acme.example', groups: ['security', 'staff'] };
const AUDITOR: TestUser = { sub: 'u-2', email: 'Auditor@CPA.example', groups: [] };
const STRANGER: TestUser = { sub: 'u-3', email: 'mallory@elsewhere.example', groups: ['staff'] };

let dir: string;
let config: string;
let base: string;
let provider: TestProvider;
let server: ReturnType<typeof spawnCli>;
let browser: Browser;
const requested: string[] = [];
/**
 * Arrival is the navigation committing, not the page's load: the readiness
 * page judges the demo locker in the portal's worker, which took over 10 s
 * on a loaded CI machine; what follows waits for the elements it reads.
 */
const ARRIVED = { waitUntil: 'commit', timeout: 60_000 } as const;

async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as { port: number };
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

/** Signs in through the IdP in a fresh browser context; the page is left where the flow ended. */
async function signInWith(user: TestUser, fault: TokenFault = 'none'): Promise<Page> {
  const context = await browser.newContext();
  const page = await context.newPage();
  page.on('request', (request) => requested.push(request.url()));
  provider.next(user, fault);
  await page.goto(`${base}sign-in`);
  await page.click('#sign-in-oidc');
  // At the IdP's own page now (another site); continuing there sends the browser back to the portal.
  await page.click('#approve');
  await page.waitForURL(/\/sign-in\/oidc\/callback\?/);
  return page;
}

/** Signs in and follows the callback page on to the portal (its refresh is the portal's own navigation, so the Strict cookie rides along). */
async function signedIn(user: TestUser): Promise<Page> {
  const page = await signInWith(user);
  await page.waitForURL(`${base}readiness`, ARRIVED);
  return page;
}

async function expectRefused(user: TestUser, fault: TokenFault, reason: RegExp): Promise<void> {
  const page = await signInWith(user, fault);
  expect(new URL(page.url()).pathname).toBe('/sign-in/oidc/callback');
  const problem = await page.locator('p.error').innerText();
  console.log(`refused (${fault}): ${problem}`);
  expect(problem).toMatch(reason);
  await page.goto(`${base}readiness`);
  expect(page.url()).toBe(`${base}sign-in`);
  await page.context().close();
}

beforeAll(async () => {
  // Another site than the portal (localhost vs 127.0.0.1), as a real IdP is: the SameSite=Strict session cookie must still arrive.
  provider = await startTestProvider(CLIENT, 'localhost');
  ({ dir } = await demoLocker('portal-oidc'));
  config = join(dir, 'evidentia.yaml');
  const port = await freePort();
  await appendFile(
    config,
    [
      'portal:',
      `  auditPeriods: ["${DEMO_PERIOD}", "${OUTSIDE}"]`,
      '  oidc:',
      `    issuer: ${provider.issuer}`,
      `    clientId: ${CLIENT.id}`,
      '    clientSecret: ${env:EVIDENTIA_TEST_OIDC_SECRET}',
      `    redirectUrl: http://127.0.0.1:${port}/sign-in/oidc/callback`,
      '    label: Test IdP',
      '    roles:',
      '      - group: security',
      '        role: team',
      '      - email: auditor@cpa.example',
      '        role: auditor',
      `        auditPeriods: ["${DEMO_PERIOD}"]`,
      '',
    ].join('\n'),
  );
  server = spawnCli(['serve', '--config', config, '--listen', `127.0.0.1:${port}`], { env: { EVIDENTIA_TEST_OIDC_SECRET: CLIENT.secret } });
  base = await portalUrl(server);
  browser = await launchChromium();
}, 300_000);

afterAll(async () => {
  await browser?.close();
  server?.child.kill('SIGTERM');
  await server?.done;
  await provider?.close();
  await rm(dir, { recursive: true, force: true });
});

describe('evidentia serve with OIDC sign-in', () => {
  it('signs a member of a mapped group in as team, through PKCE, the token endpoint and the JWKS', async () => {
    const page = await signedIn(TEAM);
    expect(await page.locator('.who').innerText()).toBe('tess@acme.example (team)');
    expect(provider.log).toEqual(expect.arrayContaining(['GET /.well-known/openid-configuration', 'GET /authorize', 'POST /token', 'GET /jwks']));
    expect(provider.log.filter((line) => line.startsWith('token refused'))).toEqual([]);
    // The flow is spent: replaying the callback (code and state) opens no second session.
    const callback = requested.filter((url) => url.includes('/sign-in/oidc/callback?')).at(-1)!;
    const replayed = await (await browser.newContext()).newPage();
    expect((await replayed.goto(callback))!.status()).toBe(403);
    expect(await replayed.locator('p.error').innerText()).toContain('this sign-in was not started here');
    await replayed.context().close();
    await page.context().close();
  }, 120_000);

  it('signs a mapped email in as an auditor, limited to the periods of its rule', async () => {
    const page = await signedIn(AUDITOR);
    expect(await page.locator('.who').innerText()).toBe('auditor@cpa.example (auditor)');
    expect((await page.goto(`${base}readiness?period=${DEMO_PERIOD}`))!.status()).toBe(200);
    // OUTSIDE is in portal.auditPeriods, but not in this auditor's rule.
    const outside = await page.goto(`${base}readiness?period=${OUTSIDE}`);
    expect(outside!.status()).toBe(403);
    expect(await page.locator('p.error').innerText()).toContain(`the period ${OUTSIDE} is outside your audit periods`);
    await page.context().close();
  }, 120_000);

  it('refuses ID tokens that are forged, expired, for another audience or carry another nonce', async () => {
    await expectRefused(TEAM, 'forged', /refused: .*signature/i);
    await expectRefused(TEAM, 'expired', /refused: .*(exp|expired)/i);
    await expectRefused(TEAM, 'audience', /refused: .*aud/i);
    await expectRefused(TEAM, 'nonce', /refused: .*nonce/i);
  }, 180_000);

  it('refuses a user no rule maps, and an email the IdP has not verified (false, or the string "false")', async () => {
    // A good sign-in first: the four refusals above count against this address's limit.
    await (await signedIn(TEAM)).context().close();
    await expectRefused(STRANGER, 'none', /mallory@elsewhere\.example is not given a role by portal\.oidc\.roles/);
    await expectRefused({ ...AUDITOR, emailVerified: false }, 'none', /not given a role/);
    await expectRefused({ ...AUDITOR, emailVerified: 'false' }, 'none', /not given a role/);
  }, 180_000);

  it('signs out locally only, and says the IdP session remains, when the IdP advertises no end_session_endpoint', async () => {
    const page = await signedIn(TEAM);
    await page.click('form[action="/sign-out"] button');
    await page.waitForURL(`${base}sign-in?signed-out=idp-session-remains`);
    expect(await page.locator('#sign-in-notice').innerText()).toMatch(/^You are signed out of the portal\. Your session at Test IdP remains/);
    expect((await page.context().cookies()).map((cookie) => cookie.name)).not.toContain('evidentia_session');
    await page.goto(`${base}readiness`);
    expect(page.url()).toBe(`${base}sign-in`);
    expect(provider.log).not.toContain('GET /logout');
    await page.context().close();
  }, 120_000);

  it('kept every request on this machine (the portal and the provider) and never printed the client secret', async () => {
    expect(requested.length).toBeGreaterThan(0);
    expect(requested.filter((url) => !url.startsWith('http://127.0.0.1:') && !url.startsWith(`${provider.issuer}/`))).toEqual([]);
    server.child.kill('SIGTERM');
    const result = await server.done;
    expect(result.code).toBe(0);
    expect(result.stderr).toContain('OIDC sign-in refused');
    expect(`${result.stdout}${result.stderr}`).not.toContain(CLIENT.secret);
    // Single sign-ons are in the portal's audit log like password sign-ins: each session opened, each refusal.
    const logged = JSON.parse((await runCli(['portal-log', '--config', config, '--json'])).stdout) as Array<{ action: string; user: string; role: string | null; target: string }>;
    const callbacks = logged.filter((event) => event.target.startsWith('/sign-in/oidc/callback'));
    const signIns = callbacks.map(({ action, user, role }) => [action, user, role]);
    // The callback's single-use code and the flow's state are not kept in the signed log; only the IdP's error, when it gave one.
    expect(callbacks.filter((event) => /[?&](code|state|session_state|iss)=/.test(event.target))).toEqual([]);
    expect(callbacks.map((event) => event.target).filter((target) => target !== '/sign-in/oidc/callback').every((target) => /^\/sign-in\/oidc\/callback\?error=[\w%+.-]+$/.test(target))).toBe(true);
    expect(signIns).toEqual([
      ['sign-in', 'tess@acme.example', 'team'],
      ['sign-in-failed', '(unknown)', null],
      ['sign-in', 'auditor@cpa.example', 'auditor'],
      ...Array.from({ length: 4 }, () => ['sign-in-failed', '(unknown)', null]),
      ['sign-in', 'tess@acme.example', 'team'],
      ...Array.from({ length: 3 }, () => ['sign-in-failed', '(unknown)', null]),
      ['sign-in', 'tess@acme.example', 'team'],
    ]);
    // Signing out is logged too, saying the session came from single sign-on.
    expect(logged.filter((event) => event.action === 'sign-out').map(({ user, role, target }) => [user, role, target])).toEqual([['tess@acme.example', 'team', '/sign-out (oidc)']]);
    expect((await runCli(['verify', '--config', config])).stdout).toContain('locker verified: no problems');
  }, 60_000);

  it('refuses to start (exit 2, one line) when the secret reference cannot be resolved', async () => {
    const result = await runCli(['serve', '--config', config, '--listen', '127.0.0.1:0'], { env: { EVIDENTIA_TEST_OIDC_SECRET: '' } });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/portal\.oidc\.clientSecret.*EVIDENTIA_TEST_OIDC_SECRET/);
  }, 60_000);

  it('refuses to start (exit 2, one line) when the issuer cannot be discovered', async () => {
    const elsewhere = join(dir, 'no-issuer.yaml');
    await writeFile(elsewhere, (await readFile(config, 'utf8')).replace(`issuer: ${provider.issuer}`, 'issuer: http://127.0.0.1:9'));
    const result = await runCli(['serve', '--config', elsewhere, '--listen', '127.0.0.1:0'], { env: { EVIDENTIA_TEST_OIDC_SECRET: CLIENT.secret } });
    expect(result.code).toBe(2);
    expect(result.stderr.trim().split('\n')).toEqual([expect.stringMatching(/portal\.oidc\.issuer http:\/\/127\.0\.0\.1:9: discovery failed/)]);
    expect(result.stderr).not.toContain(CLIENT.secret);
  }, 60_000);
});

describe('evidentia serve signing out at an IdP with an end_session_endpoint', () => {
  let idp: TestProvider;
  let portal: ReturnType<typeof spawnCli>;
  let at: string;

  beforeAll(async () => {
    idp = await startTestProvider(CLIENT, 'localhost', { endSession: true });
    const port = await freePort();
    const logoutConfig = join(dir, 'logout.yaml');
    const text = (await readFile(config, 'utf8'))
      .replace(`issuer: ${provider.issuer}`, `issuer: ${idp.issuer}`)
      .replace(/redirectUrl: http:\/\/127\.0\.0\.1:\d+\/sign-in\/oidc\/callback/, `redirectUrl: http://127.0.0.1:${port}/sign-in/oidc/callback\n    postLogoutRedirectUrl: http://127.0.0.1:${port}/sign-in`);
    await writeFile(logoutConfig, text);
    portal = spawnCli(['serve', '--config', logoutConfig, '--listen', `127.0.0.1:${port}`], { env: { EVIDENTIA_TEST_OIDC_SECRET: CLIENT.secret } });
    at = await portalUrl(portal);
  }, 120_000);

  afterAll(async () => {
    portal?.child.kill('SIGTERM');
    await portal?.done;
    await idp?.close();
  });

  it("ends the portal session, then the IdP's through RP-initiated logout (ID token hint, client id, back to the sign-in page)", async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const seen: string[] = [];
    page.on('request', (request) => seen.push(request.url()));
    idp.next(TEAM);
    await page.goto(`${at}sign-in`);
    await page.click('#sign-in-oidc');
    await page.click('#approve');
    await page.waitForURL(`${at}readiness`, ARRIVED);
    await page.click('form[action="/sign-out"] button');
    // The portal's page moves on to the IdP's logout, which sends the browser back to the portal's sign-in page.
    await page.waitForURL(`${at}sign-in`, ARRIVED);
    expect(idp.logouts).toHaveLength(1);
    const logout = idp.logouts[0]!;
    expect(Object.fromEntries(logout)).toEqual({ client_id: CLIENT.id, id_token_hint: idp.issued.at(-1), post_logout_redirect_uri: `${at}sign-in` });
    expect(seen.filter((url) => url.startsWith(`${idp.issuer}/logout?`))).toHaveLength(1);
    expect((await context.cookies()).map((cookie) => cookie.name)).not.toContain('evidentia_session');
    await page.goto(`${at}readiness`);
    expect(page.url()).toBe(`${at}sign-in`);
    expect(seen.filter((url) => !url.startsWith('http://127.0.0.1:') && !url.startsWith(`${idp.issuer}/`))).toEqual([]);
    await context.close();

    portal.child.kill('SIGTERM');
    const stopped = await portal.done;
    expect(stopped.code).toBe(0);
    // Every event was stored before the portal stopped (none printed as left over).
    expect(stopped.stderr).not.toContain('could not be stored');
    const logged = JSON.parse((await runCli(['portal-log', '--config', config, '--json'])).stdout) as Array<{ action: string; user: string; target: string; outcome: string }>;
    expect(logged.filter((event) => event.action === 'sign-out').map(({ user, target, outcome }) => [user, target, outcome]).at(-1)).toEqual(['tess@acme.example', '/sign-out (oidc)', '200']);
    expect((await runCli(['verify', '--config', config])).stdout).toContain('locker verified: no problems');
  }, 120_000);
});
