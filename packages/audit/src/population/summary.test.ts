/** The population's summary column: the traceability link both ways and a ticket's status; an archived repository named as such. */
import { describe, expect, it } from '@jest/globals';
import { configRecord, pullRequestRecord } from '../checks/synthetic-records.js';
import { summarize } from './population.js';

const summary = (data: Parameters<typeof pullRequestRecord>[2]) => summarize(pullRequestRecord('github:acme', 'acme/api#1', { title: 'Rate limit login', ...data }));

describe('summarize change.request', () => {
  it('names the tickets a pull request links, or nothing when it links none', () => {
    expect(summary({ linkedTickets: ['CHG-1', 'OPS-2'], emergency: true })).toBe('Rate limit login [emergency] · tickets CHG-1, OPS-2');
    expect(summary({})).toBe('Rate limit login');
  });

  it("names the changes a ticket links and the ticket's status and resolution", () => {
    expect(summary({ linkedChanges: ['acme/api#1'], status: 'Deployed', resolution: 'Done' })).toBe('Rate limit login · changes acme/api#1 · status Deployed (Done)');
    expect(summary({ status: 'Awaiting approval', resolution: null })).toBe('Rate limit login · status Awaiting approval');
  });
});

describe('summarize branch protection', () => {
  it('marks an archived repository as such, not as unprotected', () => {
    expect(summarize(configRecord('change.config', 'github:acme', 'acme/legacy@main', 'branch_protection', { archived: true, disabled: false }, false))).toBe('branch_protection of acme/legacy@main (archived)');
    expect(summarize(configRecord('change.config', 'github:acme', 'acme/docs@main', 'branch_protection', {}, false))).toBe('branch_protection of acme/docs@main (absent)');
  });
});
