/**
 * A service account's access token lasts an hour: a run that outlives it
 * exchanges a new assertion before the token lapses, and the requests after
 * that carry the new token. The real Admin SDK client talks to the replay
 * server; the clock is the test's, moved between pages.
 */
import { afterEach, describe, expect, it } from '@jest/globals';
import { startReplayServer, type CassetteInput, type ReplayServer } from '@evidentia/testing';
import { WorkspaceClient, type ClientContext } from './client.js';
import { USER_SCOPE } from './config.js';
import { loadFixture, serviceAccountConfig, serviceAccountKeyFile, tokenConfig } from './test-support.js';

let server: ReplayServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** The recorded token answer, granting `token` for `seconds`. */
function tokenGrant(token: string, seconds: number): CassetteInput['interactions'][number] {
  const recorded = loadFixture('service-account-token.json').interactions[0]!;
  return { ...recorded, response: { ...recorded.response, body: { access_token: token, expires_in: seconds, token_type: 'Bearer' } } };
}

/** The first two pages of the recorded active-users listing. */
const userPages = () => loadFixture('users.json').interactions.slice(0, 2);

/** Read the listing up to the first user of its second page, which is what makes the second request. */
async function readIntoSecondPage(listing: AsyncGenerator<unknown>): Promise<void> {
  const firstPage = (userPages()[0]!.response.body as { users: unknown[] }).users.length;
  for (let i = 0; i < firstPage; i++) expect((await listing.next()).done).toBe(false);
}

async function start(interactions: CassetteInput['interactions'], config: (baseUrl: string) => ClientContext['config']) {
  server = await startReplayServer([{ format: 'evidentia.cassette/1', description: 'token refresh', interactions }]);
  const clock = { now: new Date('2026-07-01T00:00:00Z') };
  const sent: string[] = [];
  const observe: typeof fetch = (input, init) => {
    sent.push(new Headers(init?.headers).get('authorization') ?? new Headers((input as Request).headers).get('authorization') ?? '');
    return fetch(input, init);
  };
  const ctx: ClientContext = { config: config(server.baseUrl), fetch: observe, credentialFetch: fetch, now: () => clock.now, recorded: false };
  return { ctx, clock, sent, server };
}

describe('service-account token lifetime', () => {
  it('exchanges a new token when the current one lapses within five minutes, and sends it from then on', async () => {
    const { json } = serviceAccountKeyFile();
    const { ctx, clock, sent, server } = await start([tokenGrant('first-token-not-real', 3599), userPages()[0]!, tokenGrant('second-token-not-real', 3599), userPages()[1]!], serviceAccountConfig(json));
    const client = await WorkspaceClient.connect(ctx, [USER_SCOPE]);
    const listing = client.users();
    expect((await listing.next()).done).toBe(false);
    clock.now = new Date('2026-07-01T00:56:00Z');
    await readIntoSecondPage(listing);
    expect(server.requests.map((request) => `${request.method} ${request.path.split('?')[0]}`)).toEqual([
      'POST /token',
      'GET /admin/directory/v1/users',
      'POST /token',
      'GET /admin/directory/v1/users',
    ]);
    expect(sent).toEqual(['Bearer first-token-not-real', 'Bearer second-token-not-real']);
    server.assertDone();
  });

  it('keeps a token with time to spare, and never renews a configured token', async () => {
    const { json } = serviceAccountKeyFile();
    const first = await start([tokenGrant('first-token-not-real', 3599), ...userPages()], serviceAccountConfig(json));
    const pages = (await WorkspaceClient.connect(first.ctx, [USER_SCOPE])).users();
    await pages.next();
    first.clock.now = new Date('2026-07-01T00:50:00Z');
    await readIntoSecondPage(pages);
    expect(first.sent).toEqual(['Bearer first-token-not-real', 'Bearer first-token-not-real']);
    first.server.assertDone();
    await first.server.close();

    const configured = await start(userPages(), tokenConfig());
    const listing = (await WorkspaceClient.connect(configured.ctx, [USER_SCOPE])).users();
    await listing.next();
    configured.clock.now = new Date('2026-07-02T00:00:00Z');
    await readIntoSecondPage(listing);
    expect(configured.server.requests.map((request) => request.method)).toEqual(['GET', 'GET']);
    configured.server.assertDone();
  });
});
