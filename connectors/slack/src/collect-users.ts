/**
 * The `users` stream: every member of the workspace (active, deleted,
 * invited, guests, bots) from users.list, one access.account record each,
 * emitted page by page so memory stays bounded whatever the workspace size.
 * What the token cannot see (emails without users:read.email, 2FA without an
 * admin or owner token) is recorded as unknown, with a warning.
 */
import type { StreamContext } from '@evidentia/sdk';
import { SlackClient } from './client.js';
import type { SlackConfig } from './config.js';
import { accountRecord, isBot } from './normalize-users.js';
import { UsersPage } from './schema.js';

/** Slack's recommended page size for users.list (it may return fewer). */
export const USERS_PAGE_SIZE = 200;

export async function collectUsers(ctx: StreamContext<SlackConfig>): Promise<void> {
  const client = await SlackClient.connect(ctx);
  const people = { active: 0, withEmail: 0, with2faState: 0 };
  let scopes: string[] | undefined;
  // A member served twice (a repeated page, a list that shifted while it was read) comes once: the first listing counts.
  const members = client.list('users.list', { limit: USERS_PAGE_SIZE }, UsersPage, {
    items: (page) => page.members,
    key: (member) => member.id,
    onPage: (page) => {
      scopes ??= page.value.response_metadata?.scopes;
    },
  });
  for await (const { value: member, source } of members) {
    if (!isBot(member) && !member.deleted) {
      people.active++;
      if (member.profile?.email) people.withEmail++;
      if (member.has_2fa !== undefined) people.with2faState++;
    }
    await ctx.emit(accountRecord(member, source, ctx.config.serviceIdentities));
  }
  // users.list reports no population size of its own (no total to cross-check): the members listed are the population.
  if (people.active > 0 && people.with2faState === 0) {
    ctx.log.warn('users.list shows no 2FA state (only tokens of workspace admins or owners see has_2fa); MFA is recorded as unknown', { members: people.active });
  }
  if (people.active > 0 && people.withEmail === 0) {
    ctx.log.warn('users.list shows no email addresses; the token needs the users:read.email scope', { scopes: scopes?.join(',') ?? 'not reported' });
  }
}
