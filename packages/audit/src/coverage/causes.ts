/**
 * Why an interval is uncovered. A gap is explained by what the locker holds
 * about it: the stream had not been collected yet, the daemon was down (its
 * catch-up run recorded the missed interval), the stream failed (with which
 * errors), or the source no longer keeps that history (a declared gap). When
 * nothing explains it, that is said too: nobody ran a collection.
 */
import type { GapCause } from './types.js';
import type { Interval } from './intervals.js';

/** The distinct error messages kept per failure log; further ones are counted as "other". */
const MAX_DISTINCT_ERRORS = 10;

export interface TimedInterval extends Interval {
  detail: string;
}

/** Failed attempts since the stream's last success: how many, when, and their errors. */
export class FailureLog {
  count = 0;
  first = NaN;
  last = NaN;
  private readonly errors = new Map<string, number>();

  add(time: number, error: string | null): void {
    if (this.count === 0) this.first = time;
    this.count++;
    this.last = time;
    const message = error ?? 'no error recorded';
    const key = this.errors.has(message) || this.errors.size < MAX_DISTINCT_ERRORS ? message : 'other errors';
    this.errors.set(key, (this.errors.get(key) ?? 0) + 1);
  }

  reset(): void {
    this.count = 0;
    this.first = this.last = NaN;
    this.errors.clear();
  }

  summary(): string {
    const errors = [...this.errors.entries()].sort((a, b) => b[1] - a[1]).map(([message, count]) => (this.errors.size > 1 ? `${message} (${count}×)` : message));
    return `failed ${this.count} time${this.count === 1 ? '' : 's'}: ${errors.join('; ')}`;
  }
}

export interface AttributionContext {
  /** When the stream was first attempted at all; null if never. */
  firstAttempt: number | null;
  /** Daemon downtimes, from catch-up runs. */
  downtimes: TimedInterval[];
  /** Event streams: declared gaps (history beyond the source's retention). */
  declared?: TimedInterval[];
}

const iso = (time: number) => new Date(time).toISOString();

/**
 * The causes of the uncovered interval `window` (its true bounds, possibly
 * infinite); `shown` is the part inside the period, used where a cause has no
 * bounds of its own.
 */
export function attribute(window: Interval, shown: Interval, context: AttributionContext, failures: FailureLog | null): GapCause[] {
  const causes: GapCause[] = [];
  const overlaps = (item: Interval) => item.start < window.end && item.end > window.start;
  const { firstAttempt } = context;
  if (firstAttempt === null || firstAttempt > window.start) {
    const until = firstAttempt === null ? shown.end : Math.min(Math.max(firstAttempt, shown.start), shown.end);
    causes.push({
      kind: 'not-configured',
      since: iso(shown.start),
      until: iso(until),
      detail: firstAttempt === null ? 'the stream has never been collected' : `the stream was first collected at ${iso(firstAttempt)}`,
    });
  }
  for (const gap of (context.declared ?? []).filter(overlaps)) {
    causes.push({ kind: 'retention', since: iso(Math.max(gap.start, shown.start)), until: iso(Math.min(gap.end, shown.end)), detail: gap.detail });
  }
  for (const down of context.downtimes.filter(overlaps)) {
    causes.push({ kind: 'daemon-down', since: iso(down.start), until: iso(down.end), detail: down.detail });
  }
  if (failures && failures.count > 0) {
    causes.push({ kind: 'stream-failed', since: iso(failures.first), until: iso(failures.last), detail: failures.summary() });
  }
  if (causes.length === 0) {
    causes.push({ kind: 'not-collected', since: iso(shown.start), until: iso(shown.end), detail: 'no collection of this stream ran, and no daemon downtime is recorded' });
  }
  return causes.sort((a, b) => Date.parse(a.since) - Date.parse(b.since));
}
