/**
 * The config schema: one of the two ways to authenticate, secrets only as
 * references, defaults for every stream mapping, no ORDER BY in a stream's
 * JQL, typos refused; and the URLs derived from it.
 */
import { describe, expect, it } from '@jest/globals';
import { Secret } from '@evidentia/sdk';
import { apiBaseUrl, hasOrderBy, issueUrl, JiraConfig } from './config.js';

const apiToken = new Secret('test-api-token-not-real', '${env:JIRA_API_TOKEN}');
const basic = { host: 'https://acme.atlassian.net', email: 'evidence-bot@example.com', apiToken };

describe('JiraConfig', () => {
  it('fills in a default mapping for every stream', () => {
    const config = JiraConfig.parse(basic);
    expect(config.streams.changes).toEqual({
      jql: 'issuetype = Change',
      approvedStatuses: ['Approved'],
      doneStatuses: ['Done', 'Deployed', 'Closed', 'Resolved', 'Completed'],
      emergencyValues: ['yes', 'true', 'emergency'],
      emergencyLabels: ['emergency'],
      developmentLinks: false,
    });
    expect(config.streams.incidents).toMatchObject({ jql: 'issuetype = Incident', severityField: 'priority' });
    expect(config.streams.personnel).toMatchObject({ jql: 'project = HR AND issuetype in (Onboarding, Offboarding)', personField: 'Employee email', effectiveDateField: 'duedate', typeField: 'issuetype' });
    expect(JiraConfig.parse({ ...basic, streams: { incidents: { severityField: 'Severity' } } }).streams.incidents.resolvedStatuses).toContain('Resolved');
  });

  it('needs email with apiToken, or bearerToken, and not both', () => {
    expect(JiraConfig.safeParse({ host: basic.host, bearerToken: apiToken }).success).toBe(true);
    expect(JiraConfig.safeParse({ host: basic.host }).error?.issues[0]).toMatchObject({ path: ['apiToken'], message: 'one of email with apiToken, or bearerToken, is required' });
    expect(JiraConfig.safeParse({ host: basic.host, apiToken }).error?.issues[0]?.path).toEqual(['email']);
    expect(JiraConfig.safeParse({ ...basic, bearerToken: apiToken }).error?.issues[0]?.path).toEqual(['bearerToken']);
  });

  it('refuses literal tokens, a host without scheme, unknown keys and ORDER BY', () => {
    expect(JiraConfig.safeParse({ ...basic, apiToken: 'literal-token' }).success).toBe(false);
    expect(JiraConfig.safeParse({ ...basic, host: 'acme.atlassian.net' }).success).toBe(false);
    expect(JiraConfig.safeParse({ ...basic, streams: { changes: { approverFeild: 'Approvers' } } }).success).toBe(false);
    expect(JiraConfig.safeParse({ ...basic, streams: { releases: {} } }).success).toBe(false);
    const ordered = JiraConfig.safeParse({ ...basic, streams: { changes: { jql: 'issuetype = Change ORDER BY created DESC' } } });
    expect(ordered.error?.issues[0]).toMatchObject({ path: ['streams', 'changes', 'jql'], message: expect.stringContaining('leave ORDER BY out') });
  });
});

describe('config helpers', () => {
  it('finds ORDER BY only outside quoted text', () => {
    expect(hasOrderBy('project = CHG order  by key')).toBe(true);
    expect(hasOrderBy('summary ~ "order by phone" AND project = CHG')).toBe(false);
    expect(hasOrderBy("labels = 'reorder'")).toBe(false);
  });

  it('sends requests to baseUrl when set, and links to the site', () => {
    expect(apiBaseUrl({ host: 'https://acme.atlassian.net/' })).toBe('https://acme.atlassian.net');
    expect(apiBaseUrl({ host: 'https://acme.atlassian.net', baseUrl: 'https://api.atlassian.com/ex/jira/11111111-2222-3333-4444-555555555555/' })).toBe('https://api.atlassian.com/ex/jira/11111111-2222-3333-4444-555555555555');
    expect(issueUrl({ host: 'https://acme.atlassian.net/' }, 'CHG-1')).toBe('https://acme.atlassian.net/browse/CHG-1');
  });
});
