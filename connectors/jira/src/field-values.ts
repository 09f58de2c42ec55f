/**
 * Readers for the values Jira puts in issue fields, pure: timestamps, users,
 * option and select values, dates, and rich text (Atlassian Document Format,
 * which REST v3 returns for text areas). A mapped field whose value has a
 * shape the reader cannot use is an error naming the setting and the issue,
 * not a silently empty value.
 */
import type { Actor } from '@evidentia/evidence';
import { z } from 'zod';
import { JiraUser } from './schema.js';

/** A Jira timestamp (`…+0000`) as ISO 8601 in UTC. */
export function isoTime(value: string): string {
  const time = Date.parse(value);
  if (Number.isNaN(time)) throw new Error(`not a timestamp: ${JSON.stringify(value)}`);
  return new Date(time).toISOString();
}

/** A Jira user as an evidence actor: account id as login; apps (automation, integrations) are bots. */
export function actorOf(user: JiraUser | null | undefined): Actor | null {
  if (!user) return null;
  return { login: user.accountId, email: user.emailAddress ?? null, name: user.displayName ?? null, bot: user.accountType === 'app' };
}

function describe(value: unknown): string {
  if (Array.isArray(value)) return 'a list';
  return value === null ? 'null' : `a ${typeof value}`;
}

/** The users in a user or multi-user field. */
export function usersIn(value: unknown, what: string): Actor[] {
  if (value === null || value === undefined) return [];
  const parsed = z.union([JiraUser, z.array(JiraUser)]).safeParse(value);
  if (!parsed.success) throw new Error(`${what} holds ${describe(value)} where a user or a list of users was expected`);
  const list = Array.isArray(parsed.data) ? parsed.data : [parsed.data];
  return list.flatMap((user) => actorOf(user) ?? []);
}

const Labelled = z.union([z.string(), z.number(), z.boolean(), z.object({ value: z.string() }), z.object({ name: z.string() })]);

function labelOf(value: z.infer<typeof Labelled>): string {
  if (typeof value === 'object') return 'value' in value ? value.value : value.name;
  return String(value);
}

/** The texts of a select, multi-select, checkbox, priority, issue type, label list or plain value. */
export function labelsIn(value: unknown, what: string): string[] {
  if (value === null || value === undefined) return [];
  const parsed = z.union([Labelled, z.array(Labelled)]).safeParse(value);
  if (!parsed.success) throw new Error(`${what} holds ${describe(value)} where a text, option or list of options was expected`);
  return (Array.isArray(parsed.data) ? parsed.data : [parsed.data]).map(labelOf);
}

/** A date field (`2026-05-29`, read as midnight UTC) or a date-time field, as ISO 8601; null when empty. */
export function dateIn(value: unknown, what: string): string | null {
  if (value === null || value === undefined || value === '') return null;
  if (typeof value !== 'string') throw new Error(`${what} holds ${describe(value)} where a date was expected`);
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) return `${value}T00:00:00.000Z`;
  try {
    return isoTime(value);
  } catch {
    throw new Error(`${what} holds ${JSON.stringify(value)} where a date was expected`);
  }
}

interface AdfNode {
  type?: unknown;
  text?: unknown;
  attrs?: { url?: unknown; href?: unknown };
  marks?: Array<{ attrs?: { href?: unknown } }>;
  content?: unknown;
}

function walkAdf(node: AdfNode, links: string[], texts: string[]): void {
  if (typeof node.text === 'string') texts.push(node.text);
  for (const candidate of [node.attrs?.url, node.attrs?.href, ...(node.marks ?? []).map((mark) => mark.attrs?.href)]) {
    if (typeof candidate === 'string') links.push(candidate);
  }
  if (Array.isArray(node.content)) for (const child of node.content as AdfNode[]) if (child && typeof child === 'object') walkAdf(child, links, texts);
}

/** A reference in a URL, text or rich-text field: the first link, else the text; null when empty. */
export function referenceIn(value: unknown, what: string): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string') return value.trim() === '' ? null : value.trim();
  if (typeof value === 'object' && !Array.isArray(value) && (value as AdfNode).type === 'doc') {
    const links: string[] = [];
    const texts: string[] = [];
    walkAdf(value as AdfNode, links, texts);
    const text = texts.join(' ').replace(/\s+/g, ' ').trim();
    return links[0] ?? (text === '' ? null : text);
  }
  throw new Error(`${what} holds ${describe(value)} where a URL or text was expected`);
}
