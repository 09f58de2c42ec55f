/**
 * The Slack notifier against a local Slack-shaped endpoint: what it posts
 * for a partial run, declared gaps and new exceptions, that a complete run
 * posts nothing, that evidence text cannot ping or plant links, that a
 * failure to notify (ok:false, HTTP 500, a long rate limit, no server) is
 * logged and never thrown, and that a gap Slack did not take stays
 * unannounced for the next coverage check.
 */
import { afterEach, describe, expect, it } from '@jest/globals';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { notifyNewGaps, type Gap } from '@evidentia/audit';
import type { Manifest, ManifestStream } from '@evidentia/locker';
import { Secret, type Logger } from '@evidentia/sdk';
import { createNotifier, declaredGaps, silentNotifier, type SlackNotifierOptions } from './index.js';
import { startSlackEndpoint, type ScriptedAnswer, type SlackEndpoint } from './slack-endpoint.test-support.js';
import { rememberSecrets } from '../config/known-secrets.js';

const TOKEN = 'test-token-not-real';

function stream(instance: string, name: string, overrides: Partial<ManifestStream> = {}): ManifestStream {
  return {
    instance, connector: instance, connectorVersion: '0.1.0', stream: name, type: 'state', status: 'complete', error: null, requests: 3, apiTotal: null,
    snapshotCount: 3, snapshotRoot: 'a'.repeat(64), recordCount: 10, recordRoot: 'b'.repeat(64), recordSet: 'c'.repeat(64), cursorBefore: null, cursorAfter: null,
    rangeSince: null, rangeUntil: null, gaps: [], startedAt: '2026-07-01T00:00:00.000Z', finishedAt: '2026-07-01T00:00:05.000Z', ...overrides,
  };
}

function manifest(status: Manifest['status'], streams: ManifestStream[]): Manifest {
  return { format: 'evidentia.manifest/1', runId: 'run-0001', sequence: 12, previous: null, status, trigger: 'schedule', parameters: {}, collectorVersion: '0.1.0', startedAt: '2026-07-01T00:00:00.000Z', finishedAt: '2026-07-01T00:01:00.000Z', streams, keyId: 'd'.repeat(64) };
}

function recordingLog(): Logger & { warnings: Array<{ message: string; fields?: Record<string, unknown> }> } {
  const warnings: Array<{ message: string; fields?: Record<string, unknown> }> = [];
  return { warnings, debug() {}, info() {}, warn: (message, fields) => warnings.push({ message, fields }), error() {} };
}

let endpoint: SlackEndpoint | undefined;
let dir: string | undefined;
afterEach(async () => {
  await endpoint?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
  dir = undefined;
});

async function notifierFor(script: ScriptedAnswer[] = [], options: SlackNotifierOptions = {}) {
  endpoint = await startSlackEndpoint(script);
  const log = recordingLog();
  const sleeps: number[] = [];
  const notifications = { slack: { token: new Secret(TOKEN, '${env:SLACK_BOT_TOKEN}'), channel: '#security-alerts', apiUrl: endpoint.apiUrl } };
  const notifier = createNotifier(notifications, log, { retryConfig: { retries: 2, minTimeout: 1, maxTimeout: 1 }, sleep: async (ms) => void sleeps.push(ms), ...options });
  return { notifier, log, sleeps, posts: endpoint.posts };
}

const partial = manifest('partial', [
  stream('github', 'members'),
  stream('slack', 'users', { status: 'failed', error: 'Slack API users.list: missing_scope (needed: users:read)' }),
]);

describe('Slack notifier', () => {
  it('posts one message for a partial run, naming the failed stream and why', async () => {
    const { notifier, posts, log } = await notifierFor();
    await notifier.runFinished(partial);
    expect(posts).toHaveLength(1);
    expect(posts[0]).toMatchObject({ path: '/api/chat.postMessage', authorization: `Bearer ${TOKEN}`, fields: { channel: '#security-alerts', unfurl_links: 'false', unfurl_media: 'false' } });
    const text = posts[0]!.fields.text!;
    expect(text).toMatch(/^:warning: \*evidentia collection partial\*: 1 of 2 streams failed \(run run-0001, manifest #12, trigger schedule\)/);
    expect(text).toContain('• `slack/users` failed: Slack API users.list: missing_scope (needed: users:read)');
    expect(text).not.toContain('github/members');
    expect(log.warnings).toEqual([]);
  });

  it('says a stream that stored what it got but not all the source holds is incomplete, with the numbers', async () => {
    const { notifier, posts } = await notifierFor();
    await notifier.runFinished(
      manifest('partial', [stream('github', 'members', { status: 'partial', error: 'received 130 of 329 organization members the source reports' }), stream('slack', 'users')]),
    );
    const text = posts[0]!.fields.text!;
    expect(text).toMatch(/^:warning: \*evidentia collection partial\*: 1 of 2 streams incomplete /);
    expect(text).toContain('• `github/members` partial: received 130 of 329 organization members the source reports');
  });

  it('posts nothing for a complete run, nor for no gaps or exceptions', async () => {
    const { notifier, posts } = await notifierFor();
    await notifier.runFinished(manifest('complete', [stream('github', 'members')]));
    await notifier.gapsFound([]);
    await notifier.exceptionsFound([]);
    expect(posts).toEqual([]);
  });

  it('posts declared gaps with stream, range and reason', async () => {
    const { notifier, posts } = await notifierFor();
    const gap = { since: '2025-10-01T00:00:00.000Z', until: '2026-04-02T00:00:00.000Z', reason: 'the source keeps 90 days of history' };
    const run = manifest('complete', [stream('aws', 'cloudtrail_events', { type: 'event', gaps: [gap] }), stream('github', 'members')]);
    await notifier.gapsFound(declaredGaps(run));
    expect(posts).toHaveLength(1);
    expect(posts[0]!.fields.text).toBe(
      ':hole: *evidentia declared 1 coverage gap*: evidence for these ranges cannot be collected\n• `aws/cloudtrail_events` 2025-10-01T00:00:00.000Z → 2026-04-02T00:00:00.000Z: the source keeps 90 days of history',
    );
  });

  it('summarises new exceptions per check with a few example keys', async () => {
    const { notifier, posts } = await notifierFor();
    await notifier.exceptionsFound([
      { check: 'pr-approved', title: 'Every merged PR approved by another person', exceptions: 5, examples: ['acme/api#415', 'acme/web#88', 'acme/web#90', 'acme/web#91', 'acme/web#92'].map((item) => ({ item })) },
      { check: 'mfa-enabled', title: 'MFA on for every active account', exceptions: 1, examples: [{ item: 'user:U0GRACE001' }] },
      { check: 'leavers', title: 'Leavers removed within 24 h', exceptions: 0, examples: [] },
    ]);
    expect(posts).toHaveLength(1);
    expect(posts[0]!.fields.text!.split('\n')).toEqual([
      ':x: *evidentia found 6 new check exceptions* in 2 checks',
      '• *Every merged PR approved by another person* (`pr-approved`): 5 exceptions, e.g. acme/api#415, acme/web#88, acme/web#90',
      '• *MFA on for every active account* (`mfa-enabled`): 1 exception, e.g. user:U0GRACE001',
    ]);
  });

  it('marks accepted exceptions as accepted, still counted, and an item whose acceptance lapsed or was revoked as open again', async () => {
    const { notifier, posts } = await notifierFor();
    await notifier.exceptionsFound([
      {
        check: 'branch-protection',
        title: 'Default branches protected',
        exceptions: 3,
        accepted: 1,
        examples: [
          { item: 'acme-corp/api@main', acceptance: { id: 2, status: 'lapsed', until: '2026-06-30' } },
          { item: 'acme-corp/web@main', acceptance: { id: 3, status: 'revoked', until: '2026-12-31' } },
          { item: 'acme-corp/docs-site@main', acceptance: { id: 4, status: 'accepted', until: '2026-12-31' } },
        ],
      },
      { check: 'mfa-enabled', title: 'MFA on for every active account', exceptions: 1, accepted: 1, examples: [{ item: 'user:U0GRACE001', acceptance: { id: 5, status: 'accepted', until: '2027-01-31' } }] },
    ]);
    expect(posts).toHaveLength(1);
    expect(posts[0]!.fields.text!.split('\n')).toEqual([
      ':x: *evidentia found 4 new check exceptions* in 2 checks, 2 accepted (still exceptions, never passes)',
      '• *Default branches protected* (`branch-protection`): 3 exceptions (1 accepted), e.g. acme-corp/api@main (open again: acceptance #2 lapsed after 2026-06-30), acme-corp/web@main (open again: acceptance #3 was revoked), acme-corp/docs-site@main (accepted, #4 until 2026-12-31)',
      '• *MFA on for every active account* (`mfa-enabled`): 1 exception (1 accepted), e.g. user:U0GRACE001 (accepted, #5 until 2027-01-31)',
    ]);
    await notifier.exceptionsFound([{ check: 'mfa-enabled', title: 'MFA on for every active account', exceptions: 1, accepted: 1, examples: [{ item: 'user:U0GRACE001', acceptance: { id: 5, status: 'accepted', until: '2027-01-31' } }] }]);
    expect(posts[1]!.fields.text!.split('\n')[0]).toBe(':x: *evidentia found 1 new check exception* in 1 check, all accepted (still exceptions, never passes)');
  });

  it('posts a run that could not be recorded, with why and the streams it was to collect', async () => {
    const { notifier, posts } = await notifierFor();
    await notifier.runNotRecorded({ trigger: 'retry', streams: ['github/members', 'jira/changes'], error: 'locker busy: <!channel> & co' });
    expect(posts.map((p) => p.fields.text!.split('\n'))).toEqual([[
      ':warning: *evidentia collection run could not be recorded* (trigger retry): locker busy: &lt;!channel&gt; &amp; co',
      '• `github/members` not collected',
      '• `jira/changes` not collected',
    ]]);
  });

  it('posts a checkpoint witnesses did not take, naming each and why, escaped', async () => {
    const { notifier, posts } = await notifierFor();
    await notifier.checkpointNotWitnessed({ runId: '20260504T020000Z-1a2b3c4d', sequence: 7, warnings: ['witness git <!channel> main:log did not take checkpoint #7: git push failed: remote: <https://evil.example.com|click>'] });
    expect(posts.map((p) => p.fields.text!.split('\n'))).toEqual([[
      ':warning: *evidentia checkpoint #7 was not taken by 1 witness* (run 20260504T020000Z-1a2b3c4d): the run is committed, but a rollback of the locker past the last checkpoint they hold would go unnoticed',
      '• witness git &lt;!channel&gt; main:log did not take checkpoint #7: git push failed: remote: &lt;https://evil.example.com|click&gt;',
    ]]);
  });

  it('escapes Slack control characters in everything that comes from evidence', async () => {
    const { notifier, posts } = await notifierFor();
    await notifier.runFinished(manifest('failed', [stream('jira', 'changes', { status: 'failed', error: 'HTTP 400: <!channel> see <https://evil.example.com|click> & more' })]));
    await notifier.exceptionsFound([{ check: 'c', title: '<!here> title', exceptions: 1, examples: [{ item: '<https://evil.example.com|click>' }] }]);
    const texts = posts.map((p) => p.fields.text!).join('\n');
    expect(texts).toContain('HTTP 400: &lt;!channel&gt; see &lt;https://evil.example.com|click&gt; &amp; more');
    expect(texts).toContain('*&lt;!here&gt; title*');
    expect(texts).toContain('e.g. &lt;https://evil.example.com|click&gt;');
    expect(texts).not.toMatch(/<!channel>|<!here>|<https:/);
  });

  it('scrubs every secret the config resolved from what it posts, whatever notice carries it', async () => {
    const leaked = 'hr-api-key-5d1e9a';
    rememberSecrets([leaked]);
    const { notifier, posts } = await notifierFor();
    await notifier.exceptionsFound([{ check: 'c', title: 'offboarding', exceptions: 1, examples: [{ item: `export signed with ${leaked}` }] }]);
    await notifier.gapsFound([{ stream: 'hr/people', gap: { since: '2026-01-01T00:00:00.000Z', until: '2026-01-02T00:00:00.000Z', reason: `denied for ${encodeURIComponent(leaked)}` } }]);
    const texts = posts.map((p) => p.fields.text!).join('\n');
    expect(texts).toContain('export signed with [redacted]');
    expect(texts).not.toContain(leaked);
  });

  it('logs and swallows an {ok:false} answer such as channel_not_found, without retrying it', async () => {
    const { notifier, posts, log } = await notifierFor([{ status: 200, body: { ok: false, error: 'channel_not_found' } }]);
    await expect(notifier.runFinished(partial)).resolves.toBeUndefined();
    expect(posts).toHaveLength(1);
    expect(log.warnings).toEqual([{ message: 'could not post the run notification to Slack', fields: { channel: '#security-alerts', error: 'Slack answered channel_not_found' } }]);
  });

  it('retries a 500 twice, then logs and swallows it', async () => {
    const failure = { status: 500, body: { ok: false, error: 'internal_error' } };
    const { notifier, posts, log } = await notifierFor([failure, failure, failure]);
    await expect(notifier.exceptionsFound([{ check: 'mfa-enforced', title: 'MFA is enforced', exceptions: 1, examples: [{ item: 'octocat' }] }])).resolves.toBeUndefined();
    expect(posts).toHaveLength(3);
    expect(log.warnings.map((w) => w.fields?.error)).toEqual(['HTTP 500']);
  });

  it('keeps a gap Slack did not take unannounced, so the next coverage check announces it again', async () => {
    const { notifier, posts, log } = await notifierFor([{ status: 200, body: { ok: false, error: 'channel_not_found' } }]);
    dir = await mkdtemp(join(tmpdir(), 'evidentia-notified-'));
    const gap: Gap = {
      key: 'acme/inventory@2026-04-01T00:00:00.000Z', stream: 'acme/inventory', since: '2026-04-01T00:00:00.000Z', until: '2026-04-02T00:00:00.000Z', status: 'open', ongoing: true, closable: false, closedAt: null, closedBy: null,
      causes: [{ kind: 'stream-failed', since: '2026-04-01T00:00:00.000Z', until: '2026-04-02T00:00:00.000Z', detail: 'failed 3 times: HTTP 401' }],
    };
    expect(await notifyNewGaps(dir, notifier, [gap], log)).toEqual([]);
    expect(log.warnings.map((w) => w.fields?.error)).toEqual(['could not post to #security-alerts: Slack answered channel_not_found']);
    expect(await notifyNewGaps(dir, notifier, [gap], log)).toEqual([gap]);
    expect(await notifyNewGaps(dir, notifier, [gap], log)).toEqual([]);
    const line = '• `acme/inventory` 2026-04-01T00:00:00.000Z → 2026-04-02T00:00:00.000Z: failed 3 times: HTTP 401';
    expect(posts.map((post) => post.fields.text!.split('\n')[1])).toEqual([line, line]);
  });

  it('says loudly that gaps Slack took could not be recorded as announced, and does not announce them again while it runs', async () => {
    const { notifier, posts } = await notifierFor();
    dir = await mkdtemp(join(tmpdir(), 'evidentia-notified-'));
    // A locker folder notified-gaps.json cannot be written in (here: gone): the read finds no file, the write fails.
    const lockerDir = join(dir, 'gone');
    const errors: Array<{ message: string; fields?: Record<string, unknown> }> = [];
    const log = { ...recordingLog(), error: (message: string, fields?: Record<string, unknown>) => void errors.push({ message, fields }) };
    const gap: Gap = {
      key: 'acme/inventory@2026-04-01T00:00:00.000Z', stream: 'acme/inventory', since: '2026-04-01T00:00:00.000Z', until: '2026-04-02T00:00:00.000Z', status: 'open', ongoing: true, closable: false, closedAt: null, closedBy: null,
      causes: [{ kind: 'stream-failed', since: '2026-04-01T00:00:00.000Z', until: '2026-04-02T00:00:00.000Z', detail: 'failed 3 times: HTTP 401' }],
    };
    expect(await notifyNewGaps(lockerDir, notifier, [gap], log)).toEqual([gap]);
    expect(errors).toHaveLength(1);
    expect(errors[0]!.message).toBe(`announced 1 new coverage gap(s) but could not record them in ${join(lockerDir, 'notified-gaps.json')}: they are not announced again while this process runs, but will be after it restarts unless the file can be written`);
    expect(String(errors[0]!.fields?.error)).toContain('ENOENT');
    expect(await notifyNewGaps(lockerDir, notifier, [gap], log)).toEqual([]);
    expect(await notifyNewGaps(lockerDir, notifier, [gap], log)).toEqual([]);
    expect(posts).toHaveLength(1);
    expect(errors).toHaveLength(1);
  });

  it('waits out a short Retry-After, and gives up at once on a long one', async () => {
    const limited = (seconds: number): ScriptedAnswer => ({ status: 429, headers: { 'retry-after': String(seconds) }, body: { ok: false, error: 'ratelimited' } });
    const short = await notifierFor([limited(2)]);
    await short.notifier.runFinished(partial);
    expect(short.sleeps).toEqual([2000]);
    expect(short.posts).toHaveLength(2);
    expect(short.log.warnings).toEqual([]);
    await endpoint?.close();

    const long = await notifierFor([limited(3600)]);
    await long.notifier.runFinished(partial);
    expect(long.sleeps).toEqual([]);
    expect(long.posts).toHaveLength(1);
    expect(long.log.warnings.map((w) => w.fields?.error)).toEqual(['rate limited; Slack asks to wait 3600 s']);
  });

  it('logs and swallows an unreachable API', async () => {
    const { notifier, log } = await notifierFor();
    await endpoint!.close();
    await expect(notifier.runFinished(partial)).resolves.toBeUndefined();
    expect(log.warnings).toHaveLength(1);
    expect(String(log.warnings[0]!.fields?.error)).toMatch(/^request failed: /);
  });

  it('is silent when no Slack channel is configured', () => {
    expect(createNotifier({}, recordingLog())).toBe(silentNotifier);
  });
});
