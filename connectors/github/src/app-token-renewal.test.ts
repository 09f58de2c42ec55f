/**
 * GitHub App installation tokens expire an hour after GitHub issues them; a
 * stream run can last longer. Against the simulated GitHub issuing tokens
 * that expire and refusing expired ones, on clocks the tests move (nothing
 * sleeps): the token is renewed before it expires, renewed once more when
 * GitHub refuses it anyway, and a token refused after renewal fails the run
 * instead of renewing forever. The identity in provenance stays the app's.
 */
import { generateKeyPairSync } from 'node:crypto';
import { afterEach, describe, expect, it } from '@jest/globals';
import { MemorySink, runStream, Secret, type StreamOutcome } from '@evidentia/sdk';
import { GitHubConfig } from './config.js';
import { githubConnector } from './index.js';
import { generateSimOrg } from './simulator-org.js';
import { SEARCH_LIST, startGitHubSimulator, type GitHubSimulator, type SimApp } from './simulator.js';

const START = new Date('2026-07-01T00:00:00Z');
const MINUTE = 60_000;
const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const simulators: GitHubSimulator[] = [];
afterEach(async () => {
  await Promise.all(simulators.splice(0).map((simulator) => simulator.close()));
});

/** A clock the test moves forward. */
function clock(): { now(): Date; advance(ms: number): void } {
  let at = START.getTime();
  return { now: () => new Date(at), advance: (ms) => (at += ms) };
}

/**
 * Collect pull_requests (150 merged PRs: two search pages) as app 77,
 * installation 4242, running `afterFirstPage` between the pages.
 */
async function collect(collectorClock: () => Date, app: SimApp, afterFirstPage: () => void): Promise<{ outcome: StreamOutcome; sink: MemorySink; simulator: GitHubSimulator }> {
  const org = generateSimOrg({ members: 2, collaborators: 0, repositories: 2 });
  for (let number = 1; number <= 150; number++) org.pullRequests.push({ repo: 'service-0', number, mergedAtMs: START.getTime() - number * 60 * MINUTE, title: `SIM-${number}`, reviewers: ['dev-1'] });
  const simulator = await startGitHubSimulator(org, { app });
  simulators.push(simulator);
  simulator.faults.set(SEARCH_LIST, { afterPage: { page: 1, change: afterFirstPage } });
  const pem = privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();
  const config = GitHubConfig.parse({ org: org.org, baseUrl: simulator.baseUrl, app: { appId: 77, installationId: '4242', privateKey: new Secret(pem, '${file:/keys/app.pem}') } });
  const sink = new MemorySink();
  const outcome = await runStream({ connector: githubConnector, instance: 'github', config, stream: 'pull_requests', sink, cursor: null, collectorVersion: 'test', now: collectorClock, sleep: async () => {}, random: () => 0.5 });
  expect(simulator.unexpected).toEqual([]);
  return { outcome, sink, simulator };
}

describe('GitHub App installation token', () => {
  it('is renewed before it expires when a run outlasts it', async () => {
    const time = clock();
    const { outcome, sink, simulator } = await collect(time.now, { appId: '77', installationId: '4242', publicKey, now: time.now }, () => time.advance(61 * MINUTE));
    expect(outcome).toMatchObject({ status: 'complete', records: 150, identity: 'app:77/installation:4242' });
    expect(simulator.issued).toHaveLength(2);
    expect(simulator.expiredRefused).toBe(0);
    expect(sink.snapshots.map((snapshot) => snapshot.provenance.identity)).toEqual(['app:77/installation:4242', 'app:77/installation:4242']);
    expect(JSON.stringify(sink.snapshots)).not.toMatch(/ghs_sim/);
  });

  it('is renewed once and the request sent again when GitHub refuses it before the run’s clock says it expired', async () => {
    // GitHub's clock runs 7 minutes ahead of the collector's: the token expires there while the collector holds it valid for 6 more.
    const github = clock();
    const collector = clock();
    const { outcome, simulator } = await collect(collector.now, { appId: '77', installationId: '4242', publicKey, now: github.now }, () => {
      collector.advance(54 * MINUTE);
      github.advance(61 * MINUTE);
    });
    expect(outcome).toMatchObject({ status: 'complete', records: 150, identity: 'app:77/installation:4242' });
    expect(simulator.expiredRefused).toBe(1);
    expect(simulator.issued).toHaveLength(2);
  });

  it('refused again after renewal, fails the run with GitHub’s answer instead of renewing forever', async () => {
    const github = clock();
    const collector = clock();
    const app: SimApp = { appId: '77', installationId: '4242', publicKey, now: github.now };
    const { outcome, simulator } = await collect(collector.now, app, () => {
      collector.advance(54 * MINUTE);
      github.advance(61 * MINUTE);
      app.tokenLifetimeMs = 0;
    });
    expect(outcome.status).toBe('failed');
    expect(outcome.error).toMatch(/Bad credentials/);
    expect(simulator.issued).toHaveLength(2);
    expect(simulator.expiredRefused).toBe(2);
  });
});
