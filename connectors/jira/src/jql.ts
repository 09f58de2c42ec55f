/**
 * The JQL a stream sends: the user's query, bounded by the collection range
 * on `updated`, in a fixed order. Ranges are UTC instants; JQL reads a date
 * such as "2026-04-02 00:00" in the time zone of the account that runs the
 * search (GET /rest/api/3/myself reports it), so the bounds are written in that
 * zone. JQL counts whole minutes: the start is rounded down and the end up, so
 * the query never covers less than the range (the overlap absorbs the rest).
 */
import type { CollectionRange } from '@evidentia/sdk';

const MINUTE_MS = 60_000;
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    try {
      formatter = new Intl.DateTimeFormat('en-GB', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
    } catch {
      throw new Error(`the Jira account's time zone ${JSON.stringify(timeZone)} is not a time zone this Node.js knows; JQL date bounds cannot be written in it`);
    }
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/** An instant as JQL's `yyyy-MM-dd HH:mm` in the given IANA time zone, rounded to a whole minute. */
export function jqlTime(instant: Date, timeZone: string, rounding: 'down' | 'up'): string {
  const round = rounding === 'down' ? Math.floor : Math.ceil;
  const minute = new Date(round(instant.getTime() / MINUTE_MS) * MINUTE_MS);
  const parts = Object.fromEntries(formatterFor(timeZone).formatToParts(minute).map((part) => [part.type, part.value]));
  return `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute}`;
}

/** The user's JQL restricted to issues updated in `[since, until)`, without ordering (for counting). */
export function rangedJql(userJql: string, range: CollectionRange, timeZone: string): string {
  const bounds = [
    ...(range.since ? [`updated >= "${jqlTime(range.since, timeZone, 'down')}"`] : []),
    `updated < "${jqlTime(range.until, timeZone, 'up')}"`,
  ];
  return `(${userJql}) AND ${bounds.join(' AND ')}`;
}

/** The ordering appended to the search: creation time never changes, so pages stay stable while tickets are edited. */
export const SEARCH_ORDER = 'ORDER BY created ASC, key ASC';
