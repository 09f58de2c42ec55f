/**
 * The config schema and what it compiles to: the token must be a secret
 * reference, typos and invalid patterns are errors naming the field, the
 * incident defaults match what the README promises.
 */
import { describe, expect, it } from '@jest/globals';
import { Secret } from '@evidentia/sdk';
import { apiUrl, incidentRules, SlackConfig } from './config.js';
import { slackConnector } from './index.js';

const token = new Secret('test-token-not-real', '${env:SLACK_TOKEN}');

describe('SlackConfig', () => {
  it('fills in the incident defaults', () => {
    const config = SlackConfig.parse({ workspace: 'acme-example', token });
    const rules = incidentRules(config.incidents);
    expect(['inc-2026-05-payments', 'INC-7'].every((name) => rules.channel.test(name))).toBe(true);
    expect(['incidents', 'general', 'team-inc-1'].some((name) => rules.channel.test(name))).toBe(false);
    expect(['Resolved!', 'we mitigated it'].every((text) => rules.resolved.test(text))).toBe(true);
    expect(rules.resolved.test('unresolved questions')).toBe(false);
    expect(config.incidents.excerptLength).toBe(80);
    expect(slackConnector.system(config)).toBe('slack:acme-example');
  });

  it('refuses a literal token, unknown keys and invalid patterns, naming the field', () => {
    expect(SlackConfig.safeParse({ workspace: 'acme-example', token: 'literal' }).success).toBe(false);
    expect(SlackConfig.safeParse({ workspace: 'acme-example', token, channel: 'x' }).success).toBe(false);
    const invalid = SlackConfig.safeParse({ workspace: 'acme-example', token, incidents: { resolvedPattern: '(unclosed' } });
    expect(invalid.error?.issues[0]).toMatchObject({ path: ['incidents', 'resolvedPattern'], message: 'expected a valid regular expression' });
    expect(SlackConfig.safeParse({ workspace: 'acme example', token }).success).toBe(false);
  });

  it('reads incidents.channels as ids and names, and refuses anything else naming the entry', () => {
    const config = SlackConfig.parse({ workspace: 'acme-example', token, incidents: { channels: ['#security-incidents', 'ops-war-room', 'C0INC00002'] } });
    const { named } = incidentRules(config.incidents);
    expect([...named.ids]).toEqual(['C0INC00002']);
    expect([...named.names]).toEqual(['security-incidents', 'ops-war-room']);
    const invalid = SlackConfig.safeParse({ workspace: 'acme-example', token, incidents: { channels: ['Ops War Room'] } });
    expect(invalid.error?.issues[0]?.path).toEqual(['incidents', 'channels', 0]);
  });

  it('reads and overrides the API root for record mode and the demo', () => {
    const config = SlackConfig.parse({ workspace: 'acme-example', token });
    expect(apiUrl(config)).toBe('https://slack.com/api');
    expect(apiUrl({ slackApiUrl: 'http://127.0.0.1:9999/api/' })).toBe('http://127.0.0.1:9999/api');
    const local = slackConnector.apiBase!.override(config, 'http://127.0.0.1:9999');
    expect(slackConnector.apiBase!.read(local)).toBe('http://127.0.0.1:9999');
  });
});
