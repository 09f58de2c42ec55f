/**
 * Ticket keys a pull request names, for change traceability (CC8.1): each
 * configured pattern is searched in the title, the head branch and the body.
 * The body is read only here: the record keeps the keys and where each was
 * found, not the text (a PR body can hold anything, secrets included).
 */

/** Jira-style keys (ABC-123): the default, as Jira itself writes them. */
export const DEFAULT_TICKET_PATTERNS = ['\\b[A-Z][A-Z0-9]+-\\d+\\b'];

export type TicketPlace = 'title' | 'branch' | 'body';

export interface TicketLinks {
  /** Keys in first-occurrence order (title, then branch, then body), de-duplicated. */
  keys: string[];
  /** Where each key was found. */
  sources: Record<string, TicketPlace[]>;
}

/** Compile the configured patterns once per stream; the config schema has already refused one that does not compile. */
export function ticketMatchers(patterns: readonly string[]): RegExp[] {
  return patterns.map((pattern) => new RegExp(pattern, 'g'));
}

export function ticketLinks(matchers: readonly RegExp[], texts: Record<TicketPlace, string | null | undefined>): TicketLinks {
  const sources: Record<string, TicketPlace[]> = {};
  for (const place of ['title', 'branch', 'body'] as const) {
    const text = texts[place] ?? '';
    for (const matcher of matchers) {
      for (const match of text.matchAll(matcher)) {
        if (match[0] === '') continue;
        const places = (sources[match[0]] ??= []);
        if (!places.includes(place)) places.push(place);
      }
    }
  }
  return { keys: Object.keys(sources), sources };
}
