/**
 * A Slack workspace member as an access.account record, pure. Roles come
 * from Slack's flags (primary owner, owner, admin, guest kinds); bots and
 * Slackbot are `bot` accounts; 2FA is only known when the token may see it
 * (`has_2fa` is shown to admin and owner tokens only), else `unknown`.
 */
import { serviceRuleMatch, type RecordInput, type ServiceAccountPatterns } from '@evidentia/sdk';
import type { Member } from './schema.js';

/** Slackbot's fixed user id: a built-in bot that users.list reports without is_bot. */
export const SLACKBOT_ID = 'USLACKBOT';

export function isBot(member: Member): boolean {
  return member.id === SLACKBOT_ID || member.is_bot === true || member.is_workflow_bot === true || member.is_app_user === true;
}

function roles(member: Member): string[] {
  if (isBot(member)) return ['bot'];
  const held: string[] = [];
  if (member.is_primary_owner) held.push('primary_owner');
  if (member.is_owner) held.push('owner');
  if (member.is_admin) held.push('admin');
  if (member.is_ultra_restricted) held.push('single_channel_guest');
  else if (member.is_restricted) held.push('multi_channel_guest');
  return held.length > 0 ? held : ['member'];
}

function accountType(member: Member, serviceBecause: string | null): string {
  if (isBot(member)) return 'bot';
  if (serviceBecause) return 'service';
  return member.is_restricted || member.is_ultra_restricted ? 'guest' : 'member';
}

function status(member: Member): 'active' | 'deleted' | 'invited' {
  if (member.deleted) return 'deleted';
  return member.is_invited_user ? 'invited' : 'active';
}

function mfa(member: Member): 'enabled' | 'disabled' | 'unknown' {
  if (member.has_2fa === undefined) return 'unknown';
  return member.has_2fa ? 'enabled' : 'disabled';
}

/**
 * One member, key `user:<id>`; the user id is what incident timelines name, so checks can join the two.
 * `displayName` is the real name; the name people see in Slack (`profile.display_name`, chosen by the
 * member and often a nickname) is kept beside it as `attributes.slackDisplayName`, so an auditor can
 * match a handle seen in a channel to a person.
 */
export function accountRecord(member: Member, source: string, rules?: ServiceAccountPatterns): RecordInput<'access.account'> {
  const displayName = member.profile?.real_name || member.real_name || member.profile?.display_name || member.name;
  const serviceBecause = serviceRuleMatch(rules, { names: [member.name, member.profile?.display_name, member.profile?.email] });
  const attributes = {
    ...(member.profile?.display_name ? { slackDisplayName: member.profile.display_name } : {}),
    ...(serviceBecause ? { serviceBecause } : {}),
  };
  return {
    key: `user:${member.id}`,
    data: {
      accountId: member.id,
      displayName,
      email: member.profile?.email || null,
      accountType: accountType(member, serviceBecause),
      status: status(member),
      privileged: !isBot(member) && Boolean(member.is_admin || member.is_owner || member.is_primary_owner),
      roles: roles(member),
      mfa: mfa(member),
      createdAt: null,
      lastLoginAt: null,
      credentials: [],
      ssoIdentity: null,
      ...(Object.keys(attributes).length > 0 ? { attributes } : {}),
    },
    sources: [source],
  };
}
