/**
 * Reading Slack message text, pure: Slack's markup (`<@U123>`, `<#C1|name>`,
 * `<!here>`, `<https://x|label>`) turned into plain words, links and Jira-style
 * ticket keys pulled out, and timestamps converted. Message text can hold
 * personal data, so records keep at most a short excerpt of it.
 */

/** A link in a message: Slack wraps every URL in angle brackets, with an optional label. */
export interface MessageLink {
  url: string;
  label: string;
}

const LINK = /<(https?:\/\/[^|>\s]+)(?:\|([^>]*))?>/g;
const TICKET_KEY = /\b[A-Z][A-Z0-9]+-\d+\b/g;

function unescapeEntities(text: string): string {
  return text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

/** The text as a reader sees it: mentions as @id / #name, links as their label, whitespace collapsed. */
export function plainText(text: string): string {
  const readable = text.replace(/<([@#!]?)([^|>]*)(?:\|([^>]*))?>/g, (_match, sigil: string, target: string, label: string | undefined) => {
    if (sigil === '@') return `@${target}`;
    if (sigil === '#') return `#${label ?? target}`;
    if (sigil === '!') return label ?? `@${target}`;
    return label ?? target;
  });
  return unescapeEntities(readable).replace(/\s+/g, ' ').trim();
}

/** At most `length` characters of the plain text, with an ellipsis when cut; '' when `length` is 0. */
export function excerpt(text: string, length: number): string {
  if (length === 0) return '';
  const plain = plainText(text);
  return plain.length > length ? `${plain.slice(0, Math.max(0, length - 1)).trimEnd()}…` : plain;
}

export function linksIn(text: string): MessageLink[] {
  return [...text.matchAll(LINK)].map((match) => ({ url: unescapeEntities(match[1] ?? ''), label: unescapeEntities(match[2] ?? '') }));
}

/** Jira-style ticket keys (OPS-42), first occurrence order, de-duplicated. */
export function ticketKeys(text: string): string[] {
  return [...new Set(text.match(TICKET_KEY) ?? [])];
}

function parts(ts: string): [string, string] {
  const [seconds = '0', fraction = ''] = ts.split('.');
  return [seconds, fraction.padEnd(6, '0').slice(0, 6)];
}

/** A Slack timestamp as microseconds, for exact ordering (a double cannot hold 16 digits safely). */
export function tsMicros(ts: string): bigint {
  const [seconds, micros] = parts(ts);
  return BigInt(seconds) * 1_000_000n + BigInt(micros);
}

/** A Slack timestamp as an ISO time (millisecond precision). */
export function tsToIso(ts: string): string {
  const [seconds, micros] = parts(ts);
  return new Date(Number(seconds) * 1000 + Math.floor(Number(micros) / 1000)).toISOString();
}

/** Epoch milliseconds as a Slack timestamp, for conversations.history's oldest/latest. */
export function slackTs(ms: number): string {
  return (ms / 1000).toFixed(6);
}
