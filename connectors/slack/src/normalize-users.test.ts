/** Which Slack members are bots and service identities. */
import { describe, expect, it } from '@jest/globals';
import { accountRecord } from './normalize-users.js';

const SOURCE = 'a'.repeat(64);

describe('accountRecord', () => {
  it('makes an app user a bot, and a member the configured patterns name a service, saying why', () => {
    expect(accountRecord({ id: 'U0APP00001', name: 'pagerduty', is_app_user: true }, SOURCE).data).toMatchObject({ accountType: 'bot', roles: ['bot'], privileged: false });
    const rules = { patterns: ['^svc-', '@integrations\\.example\\.com$'] };
    expect(accountRecord({ id: 'U0SVC00001', name: 'svc-alerts', is_admin: true }, SOURCE, rules).data).toMatchObject({
      accountType: 'service',
      attributes: { serviceBecause: 'svc-alerts matches the configured pattern ^svc-' },
    });
    expect(accountRecord({ id: 'U0SVC00002', name: 'jira', profile: { email: 'jira@integrations.example.com' } }, SOURCE, rules).data.accountType).toBe('service');
    expect(accountRecord({ id: 'U0ANN00001', name: 'ann' }, SOURCE, rules).data).toMatchObject({ accountType: 'member' });
    expect(accountRecord({ id: 'U0ANN00001', name: 'ann' }, SOURCE, rules).data).not.toHaveProperty('attributes');
  });
});
