/**
 * The data a simulated Slack workspace holds, for the simulator
 * (simulator.ts) and the tests and benchmarks that change it between runs:
 * members in Slack's users.list shape, channels with their members and
 * messages. Mutations mirror what happens in a real workspace: people join,
 * are deactivated (Slack never removes a member from users.list) or change;
 * incident channels open, get messages and new members; the app is invited
 * to a channel or removed from it.
 */

/** A member as users.list returns it (only the fields the connector reads, plus profile). */
export interface SimMember {
  id: string;
  name: string;
  real_name: string;
  deleted: boolean;
  is_admin: boolean;
  is_owner: boolean;
  is_primary_owner: boolean;
  is_restricted: boolean;
  is_ultra_restricted: boolean;
  is_bot: boolean;
  is_invited_user?: boolean;
  /** Present only when the token may see it (admin and owner tokens). */
  has_2fa?: boolean;
  profile: { real_name: string; display_name: string; email?: string };
}

export interface SimMessage {
  /** Slack timestamp, seconds with a six-digit fraction. */
  ts: string;
  user: string;
  text: string;
}

export interface SimChannel {
  id: string;
  name: string;
  /** Epoch seconds. */
  created: number;
  creator: string;
  is_private: boolean;
  is_archived: boolean;
  purpose: string;
  topic: string;
  /** User ids, the app's bot user among them when it was invited. */
  members: string[];
  /** Oldest first. */
  messages: SimMessage[];
}

export interface SimTeam {
  id: string;
  name: string;
  /** Subdomain: `acme` for acme.slack.com. */
  domain: string;
}

/** A Slack timestamp for epoch milliseconds, with a sequence number in the fraction so timestamps stay unique. */
export function simTs(ms: number, seq = 0): string {
  return `${Math.floor(ms / 1000)}.${String((Math.floor(ms % 1000) * 1000 + (seq % 1000)) % 1_000_000).padStart(6, '0')}`;
}

/** The synthetic member number `i`: 1 in 100 guests, 1 in 50 admins, 1 in 500 bots, the first one the primary owner. */
export function syntheticMember(i: number, idPrefix = 'U0'): SimMember {
  const bot = i % 500 === 499;
  const id = `${idPrefix}${String(i).padStart(8, '0')}`;
  return {
    id,
    name: `user${i}`,
    real_name: `User ${i}`,
    deleted: false,
    is_admin: i % 50 === 0,
    is_owner: i === 0,
    is_primary_owner: i === 0,
    is_restricted: i % 100 === 4,
    is_ultra_restricted: false,
    is_bot: bot,
    ...(bot ? {} : { has_2fa: i % 25 !== 1 }),
    profile: { real_name: `User ${i}`, display_name: `user${i}`, ...(bot ? {} : { email: `user${i}@example.com` }) },
  };
}

export class SlackWorkspace {
  readonly users = new Map<string, SimMember>();
  readonly channels = new Map<string, SimChannel>();
  private seq = 0;

  constructor(
    readonly team: SimTeam,
    /** The app's bot user: `auth.test` answers with it, and channels it is a member of are readable. */
    readonly bot: { userId: string; name: string },
  ) {}

  addUser(member: SimMember): void {
    if (this.users.has(member.id)) throw new Error(`simulated Slack: user ${member.id} exists already`);
    this.users.set(member.id, member);
  }

  /**
   * Remove a member from the workspace: on Enterprise Grid an admin can
   * (admin.users.remove), and users.list of this workspace no longer lists
   * them. Elsewhere Slack only deactivates (`deleted: true`).
   */
  removeUser(id: string): void {
    if (!this.users.delete(id)) throw new Error(`simulated Slack: no user ${id}`);
  }

  /** Delete a channel (an admin can); conversations.list no longer lists it. */
  removeChannel(id: string): void {
    if (!this.channels.delete(id)) throw new Error(`simulated Slack: no channel ${id}`);
  }

  /** Change a member (deactivate with `{ deleted: true }`, promote, turn 2FA off, rename). */
  updateUser(id: string, change: (member: SimMember) => void): void {
    const member = this.users.get(id);
    if (!member) throw new Error(`simulated Slack: no user ${id}`);
    change(member);
  }

  addChannel(channel: Omit<SimChannel, 'messages' | 'members'> & { members?: string[]; messages?: SimMessage[] }): SimChannel {
    if (this.channels.has(channel.id)) throw new Error(`simulated Slack: channel ${channel.id} exists already`);
    const created: SimChannel = { ...channel, members: [...(channel.members ?? [])], messages: [...(channel.messages ?? [])] };
    this.channels.set(created.id, created);
    return created;
  }

  channel(id: string): SimChannel {
    const channel = this.channels.get(id);
    if (!channel) throw new Error(`simulated Slack: no channel ${id}`);
    return channel;
  }

  /** Post a message at `atMs`; the author joins the channel if not a member yet. Returns its ts. */
  post(channelId: string, user: string, text: string, atMs: number): string {
    const channel = this.channel(channelId);
    const ts = simTs(atMs, ++this.seq);
    channel.messages.push({ ts, user, text });
    channel.messages.sort((a, b) => (BigInt(a.ts.replace('.', '')) < BigInt(b.ts.replace('.', '')) ? -1 : 1));
    if (!channel.members.includes(user)) channel.members.push(user);
    return ts;
  }

  /** Invite the app to a channel, or remove it. */
  setBotMember(channelId: string, member: boolean): void {
    const channel = this.channel(channelId);
    channel.members = channel.members.filter((id) => id !== this.bot.userId);
    if (member) channel.members.push(this.bot.userId);
  }

  botIn(channel: SimChannel): boolean {
    return channel.members.includes(this.bot.userId);
  }
}
