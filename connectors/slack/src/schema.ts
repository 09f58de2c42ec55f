/**
 * Zod schemas for every Slack Web API answer the connector reads, parsed at
 * the edge: a changed shape fails with the method and field named instead of
 * surfacing later as a wrong record. Only the fields the connector uses are
 * declared; the whole body is kept as the snapshot anyway.
 */
import { z } from 'zod';

/** Slack message and cursor timestamps: seconds with a microsecond fraction. */
const slackTs = z.string().regex(/^\d+(\.\d+)?$/, 'a Slack timestamp such as 1778573640.000100');

const ResponseMetadata = z.object({
  next_cursor: z.string().optional(),
  /** The token's scopes, from the x-oauth-scopes header (added by the Slack client). */
  scopes: z.array(z.string()).optional(),
});

/** What every paginated method shares; `has_more` only some send (conversations.history), and it says another page follows. */
const Paged = z.object({ response_metadata: ResponseMetadata.optional(), has_more: z.boolean().optional() });

export const AuthTest = z.object({
  url: z.string(),
  team: z.string(),
  user: z.string(),
  team_id: z.string(),
  user_id: z.string(),
  enterprise_id: z.string().nullish(),
  response_metadata: ResponseMetadata.optional(),
});
export type AuthTest = z.infer<typeof AuthTest>;

export const Member = z.object({
  id: z.string(),
  name: z.string(),
  deleted: z.boolean().optional(),
  real_name: z.string().optional(),
  is_admin: z.boolean().optional(),
  is_owner: z.boolean().optional(),
  is_primary_owner: z.boolean().optional(),
  is_restricted: z.boolean().optional(),
  is_ultra_restricted: z.boolean().optional(),
  is_bot: z.boolean().optional(),
  is_workflow_bot: z.boolean().optional(),
  /** A user created for an app (an integration acting as a user). */
  is_app_user: z.boolean().optional(),
  is_invited_user: z.boolean().optional(),
  /** Only visible to tokens of workspace admins and owners. */
  has_2fa: z.boolean().optional(),
  profile: z
    .object({
      /** Only with the users:read.email scope. */
      email: z.string().nullish(),
      real_name: z.string().nullish(),
      display_name: z.string().nullish(),
    })
    .optional(),
});
export type Member = z.infer<typeof Member>;

export const UsersPage = Paged.extend({ members: z.array(Member) });

const TextValue = z.object({ value: z.string() });

export const Channel = z.object({
  id: z.string(),
  name: z.string(),
  /** Epoch seconds. */
  created: z.number(),
  creator: z.string().optional(),
  is_archived: z.boolean().optional(),
  is_private: z.boolean().optional(),
  topic: TextValue.optional(),
  purpose: TextValue.optional(),
});
export type Channel = z.infer<typeof Channel>;

export const ChannelsPage = Paged.extend({ channels: z.array(Channel) });

export const Message = z.object({
  ts: slackTs,
  type: z.string().optional(),
  subtype: z.string().optional(),
  user: z.string().optional(),
  bot_id: z.string().nullish(),
  username: z.string().optional(),
  bot_profile: z.object({ name: z.string().optional() }).nullish(),
  text: z.string().optional(),
});
export type Message = z.infer<typeof Message>;

export const HistoryPage = Paged.extend({ messages: z.array(Message) });

export const ChannelMembersPage = Paged.extend({ members: z.array(z.string()) });
