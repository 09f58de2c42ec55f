/**
 * GitHub's 2FA-disabled lists and its outside-collaborator list page by
 * number and carry no total. An account removed from the organization while
 * such a list is paged moves the next page's first entry onto a page already
 * read: that member would be recorded with 2FA enabled, that collaborator not
 * at all. Through the real runner, Octokit and locker against the simulated
 * GitHub, with 150 members without 2FA and 150 outside collaborators (two
 * pages each) and one of each removed right after page 1 is served.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { generateSimOrg, type SimOrg } from '../../connectors/github/src/simulator-org.js';
import { SIMULATOR_TOKEN, simulatorConnectorYaml, startGitHubSimulator, type GitHubSimulator } from '../../connectors/github/src/simulator.js';
import { heldRecords, soak } from './harness.js';

const TWO_FACTOR_DISABLED = '/orgs/sim-corp/members?filter=2fa_disabled';
const COLLABORATORS = '/orgs/sim-corp/outside_collaborators';
let sim: GitHubSimulator;
let org: SimOrg;

beforeAll(async () => {
  org = generateSimOrg({ members: 250, collaborators: 150, repositories: 4, archivedPerTen: 9 });
  org.members.forEach((member, index) => (member.twoFactor = index >= 150));
  sim = await startGitHubSimulator(org);
});
afterAll(() => sim.close());

describe('lists without a total shifted by a removal while they are paged', () => {
  it('still record every member without 2FA as such, and every outside collaborator', async () => {
    await soak({
      connectorsYaml: simulatorConnectorYaml(sim, ['members']),
      env: { GITHUB_TOKEN: SIMULATOR_TOKEN },
      runs: 1,
      start: new Date('2026-07-01T06:00:00Z'),
      beforeRun() {
        // dev-5 leaves right after page 1 of the list is served: dev-100, first on page 2, moves to page 1.
        sim.faults.set(TWO_FACTOR_DISABLED, { afterPage: { page: 1, change: () => void org.members.splice(5, 1) } });
        // contractor-5 stops collaborating right after page 1 of the collaborator list: contractor-100 moves to page 1.
        sim.faults.set(COLLABORATORS, { afterPage: { page: 1, change: () => void org.collaborators.splice(5, 1) } });
      },
      async afterRun({ locker }) {
        expect(sim.unexpected).toEqual([]);
        expect(sim.faults.get(TWO_FACTOR_DISABLED)?.afterPage).toBeUndefined();
        expect(sim.faults.get(COLLABORATORS)?.afterPage).toBeUndefined();
        const accounts = await heldRecords(locker, 'github/members', 'access.account');
        const mfa = new Map(accounts.map((record) => [record.key, record.data.mfa]));
        expect(mfa.get('user:dev-100')).toBe('disabled');
        // Every member still in the organization is recorded with the 2FA state it has.
        for (const member of org.members) expect({ member: member.login, mfa: mfa.get(`user:${member.login}`) }).toEqual({ member: member.login, mfa: member.twoFactor ? 'enabled' : 'disabled' });
        // Every collaborator still there is recorded, contractor-100 (shifted onto page 1) included.
        expect(mfa.has('user:contractor-100')).toBe(true);
        for (const collaborator of org.collaborators) expect({ collaborator: collaborator.login, held: mfa.has(`user:${collaborator.login}`) }).toEqual({ collaborator: collaborator.login, held: true });
      },
    });
  }, 300_000);
});
