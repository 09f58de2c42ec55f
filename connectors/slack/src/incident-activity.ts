/**
 * What an incident channel's messages say, accumulated one message at a
 * time (history pages arrive newest first, across several reads), so a long
 * channel never has to be held in memory: first and last message, the last
 * "resolved" marker, the earliest post-mortem link and the first mention of
 * each ticket key. Only these key messages are kept, each with a short excerpt.
 */
import type { Actor } from '@evidentia/evidence';
import type { IncidentRules } from './config.js';
import { excerpt, linksIn, plainText, ticketKeys, tsMicros, tsToIso } from './message-text.js';
import type { Message } from './schema.js';

export interface KeyMessage {
  ts: bigint;
  at: string;
  actor: Actor | null;
  excerpt: string;
}

export interface ChannelActivity {
  /** Conversation messages seen (joins, topic changes and the like do not count). */
  messages: number;
  first: KeyMessage | null;
  last: KeyMessage | null;
  /** The latest message matching the resolved marker. */
  resolved: KeyMessage | null;
  postMortem: { url: string; message: KeyMessage } | null;
  /** Each ticket key with the message that first mentioned it. */
  tickets: Map<string, KeyMessage>;
}

/** Message subtypes that are conversation; channel_join, channel_topic and other system events are not. */
const CONVERSATION_SUBTYPES = new Set(['bot_message', 'thread_broadcast', 'file_share', 'me_message']);

export function isConversation(message: Message): boolean {
  return message.subtype === undefined || CONVERSATION_SUBTYPES.has(message.subtype);
}

export function emptyActivity(): ChannelActivity {
  return { messages: 0, first: null, last: null, resolved: null, postMortem: null, tickets: new Map() };
}

/** The author: a user id (joins the users stream's accountId), or a bot with its display name. */
export function actorOf(message: Message): Actor | null {
  const bot = Boolean(message.bot_id) || message.subtype === 'bot_message';
  const login = message.user ?? message.bot_id ?? null;
  if (login === null) return null;
  return bot ? { login, bot: true, name: message.bot_profile?.name ?? message.username ?? null } : { login, bot: false };
}

const earlier = (a: KeyMessage, b: KeyMessage | null | undefined) => !b || a.ts < b.ts;
const later = (a: KeyMessage, b: KeyMessage | null | undefined) => !b || a.ts > b.ts;

/** Fold one message into the activity (in place). */
export function observe(activity: ChannelActivity, message: Message, rules: IncidentRules): void {
  if (!isConversation(message)) return;
  const text = message.text ?? '';
  const key: KeyMessage = { ts: tsMicros(message.ts), at: tsToIso(message.ts), actor: actorOf(message), excerpt: excerpt(text, rules.excerptLength) };
  activity.messages++;
  if (earlier(key, activity.first)) activity.first = key;
  if (later(key, activity.last)) activity.last = key;
  if (rules.resolved.test(plainText(text)) && later(key, activity.resolved)) activity.resolved = key;
  const postMortem = linksIn(text).find((link) => rules.postMortem.test(`${link.url} ${link.label}`));
  if (postMortem && earlier(key, activity.postMortem?.message)) activity.postMortem = { url: postMortem.url, message: key };
  for (const ticket of ticketKeys(text)) {
    if (earlier(key, activity.tickets.get(ticket))) activity.tickets.set(ticket, key);
  }
}
