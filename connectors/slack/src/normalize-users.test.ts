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

  it('keeps the display name members see beside the real name, and leaves it out when Slack has none', () => {
    const member = { id: 'U0GRACE001', name: 'grace', real_name: 'Grace Hopper', profile: { real_name: 'Grace Hopper', display_name: 'amazing-grace', email: 'grace@example.com' } };
    expect(accountRecord(member, SOURCE).data).toMatchObject({ displayName: 'Grace Hopper', attributes: { slackDisplayName: 'amazing-grace' } });
    expect(accountRecord({ ...member, profile: { ...member.profile, display_name: '' } }, SOURCE).data).not.toHaveProperty('attributes');
  });
});
