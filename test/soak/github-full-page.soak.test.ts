/**
 * GitHub's ETag covers a page's body, not its Link header. A list whose only
 * page is full (100 outside collaborators, 100 of them without 2FA) is
 * revalidated with a 304 after a 101st entry lands on a page 2 that did not
 * exist before: the stored response's Link names no next page, so a client
 * that trusts it stops at 100 on every run, and these lists have no total that
 * would show the shortfall. Five daily runs through the real runner, Octokit
 * and locker against the simulated GitHub, whose ETags cover the body alone.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { generateSimOrg, type SimOrg } from '../../connectors/github/src/simulator-org.js';
import { SIMULATOR_TOKEN, simulatorConnectorYaml, startGitHubSimulator, type GitHubSimulator } from '../../connectors/github/src/simulator.js';
import { heldRecords, soak, streamOf } from './harness.js';

let sim: GitHubSimulator;
let org: SimOrg;
let okBefore = 0;

beforeAll(async () => {
  // Exactly one full page (per_page 100) of outside collaborators, none with 2FA, so the 2FA-disabled list is one full page too.
  org = generateSimOrg({ members: 40, collaborators: 100, repositories: 4, archivedPerTen: 9 });
  for (const collaborator of org.collaborators) collaborator.twoFactor = false;
  sim = await startGitHubSimulator(org);
});
afterAll(() => sim.close());

describe('a full last page revalidated with a 304', () => {
  it('still reaches the entries added on the page after it, run after run, and loses them when they go', async () => {
    await soak({
      connectorsYaml: simulatorConnectorYaml(sim, ['members']),
      env: { GITHUB_TOKEN: SIMULATOR_TOKEN },
      runs: 5,
      start: new Date('2026-07-01T06:00:00Z'),
      beforeRun(run) {
        // Run 2: a 101st collaborator without 2FA, listed after the first 100 (page 2). Run 4: gone again.
        if (run === 2) org.collaborators.push({ login: 'contractor-late', id: org.nextId++, admin: false, twoFactor: false });
        if (run === 4) org.collaborators.pop();
        okBefore = sim.counts().rest200;
      },
      async afterRun({ run, manifest, locker }) {
        expect(sim.unexpected).toEqual([]);
        expect({ run, status: streamOf(manifest, 'github/members').status }).toEqual({ run, status: 'complete' });
        const accounts = (await heldRecords(locker, 'github/members', 'access.account')).filter((record) => record.key.startsWith('user:contractor-'));
        const expected = org.collaborators.map((user) => `user:${user.login}`).sort();
        expect({ run, collaborators: accounts.map((record) => record.key).sort() }).toEqual({ run, collaborators: expected });
        // The late collaborator's 2FA state comes from the 2FA-disabled list's page 2: never 'enabled'.
        expect({ run, mfa: [...new Set(accounts.map((record) => record.data.mfa))] }).toEqual({ run, mfa: ['disabled'] });
        // Page 1 of both lists was answered 304 from run 2 on: the case the stale Link comes from.
        if (run > 1) expect(sim.counts().rest304).toBeGreaterThan(0);
        // Runs 3 and 5 change nothing: the page asked for after the full page is itself revalidated, so they cost no REST 200.
        if (run === 3 || run === 5) expect({ run, rest200: sim.counts().rest200 - okBefore }).toEqual({ run, rest200: 0 });
      },
    });
  }, 300_000);
});
