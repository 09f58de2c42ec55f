/**
 * Every in-scope system's user access was reviewed at its frequency, every
 * account of the review got a decision, and every revoke was carried out
 * within its SLA, judged from inventories taken after the decision (the
 * account gone or no longer active), for reviews started in the period and
 * revokes decided in it; the account is told by the id a rename keeps where
 * the review row (or, for an older review, the inventory in effect at the
 * decision) and the later inventories carry one (`sourceId`), else by name. Reviews are the locker's signed
 * access-review entries; scope, frequency and SLA are `accessReviews:` in
 * the config. A window not yet over without a review, a review that lists
 * no account, or a revoke no later inventory can judge, is not assessed,
 * never a pass. A complete review covers its window only when it was built
 * from inventories taken in the window (an older one misses the accounts
 * added since), no account was decided by its own holder, and every
 * decision was recorded before the window ended (a review completed late is
 * not the window's).
 */
import type { RecordData } from '@evidentia/evidence';
import { TimeZone } from '@evidentia/time';
import { decidesOwnAccess } from '../../access-reviews/own-access.js';
import { AccessReviewSettings } from '../../access-reviews/settings.js';
import { reviewStates } from '../../access-reviews/state.js';
import type { ReviewState } from '../../access-reviews/types.js';
import { addDays, periodicWindows } from '../../requests/windows.js';
import { defineCheck, type CheckEvidence, type Finding, type InventoryItem } from '../define.js';
import { DAY_MS } from '../period.js';
import { ACTIVE_STATUSES } from './mfa-enabled.js';

type Account = RecordData<'access.account'>;

/** The day an instant falls on in the audit zone, and the instant that day starts there. */
const day = (zone: TimeZone, at: number) => new Date(zone.wallOf(at)).toISOString().slice(0, 10);
const dayStart = (zone: TimeZone, text: string) => zone.instantOf(Date.parse(`${text}T00:00:00Z`));

/**
 * Why a complete review does not cover its window (it began at `since`, and the review was due by `due`, the end of
 * its whole window): a population older than the window, accounts decided by their own holders, accounts decided
 * only after the window ended (a review completed late is not the window's review).
 */
function coverageProblems(review: ReviewState, since: number, due: number): string[] {
  const problems: string[] = [];
  const stale = review.body.sources.filter((source) => Date.parse(source.observedAt) < since);
  if (stale.length > 0) problems.push(`its population is the inventory of ${stale.map((source) => `${source.stream} at ${source.observedAt}`).join(', ')}, taken before the window began, so accounts added since were not reviewed`);
  const own = review.body.rows.filter((row) => {
    const decision = review.decisions.get(row.row);
    return decision !== undefined && decidesOwnAccess(row, decision.reviewer);
  });
  if (own.length > 0) problems.push(`${own.map((row) => `row ${row.row} (${row.account}) was decided by ${review.decisions.get(row.row)!.reviewer}, who holds it`).join('; ')}: nobody decides their own access`);
  const late = [...review.decisions.values()].filter((decision) => Date.parse(decision.decidedAt) >= due).sort((a, b) => a.decidedAt.localeCompare(b.decidedAt) || a.row - b.row);
  if (late.length > 0) {
    const last = late.at(-1)!;
    problems.push(`${late.length} account(s) were decided after the window ended at ${new Date(due).toISOString()}, the last (row ${last.row}, ${last.account}) at ${last.decidedAt}, so the review was completed late`);
  }
  return problems;
}

/** The review that speaks for a window: a complete one that covers it if any, else a complete one that does not, else the latest with accounts; one with none shows nothing reviewed. */
function windowFinding(system: string, window: { from: string; to: string; since: number; due: number }, running: boolean, reviews: ReviewState[], frequency: string): Finding {
  const item = `${frequency} review ${window.from}..${window.to}`;
  const base = { item, system, records: [] };
  const judged = reviews.filter((review) => review.complete).map((review) => ({ review, problems: coverageProblems(review, window.since, window.due) }));
  const complete = judged.find(({ problems }) => problems.length === 0)?.review;
  if (complete) {
    const last = [...complete.decisions.values()].map((decision) => decision.decidedAt).sort().at(-1) ?? complete.startedAt;
    return { ...base, status: 'pass', reason: `review ${complete.reviewId} started ${complete.startedAt} by ${complete.startedBy}; all ${complete.body.rows.length} account(s) decided, the last at ${last}` };
  }
  const flawed = judged[0];
  if (flawed) {
    return { ...base, status: running ? 'not-assessed' : 'exception', reason: `review ${flawed.review.reviewId} started ${flawed.review.startedAt} has every account decided, but ${flawed.problems.join('; ')}` };
  }
  const latest = reviews.filter((review) => review.body.rows.length > 0).at(-1);
  if (latest) {
    const open = latest.body.rows.length - latest.decisions.size;
    return { ...base, status: running ? 'not-assessed' : 'exception', reason: `review ${latest.reviewId} started ${latest.startedAt}: ${open} of ${latest.body.rows.length} account(s) have no decision${running ? ' yet (the window runs past the period)' : ''}` };
  }
  const empty = reviews.at(-1);
  if (empty) {
    return { ...base, status: 'not-assessed', reason: `review ${empty.reviewId} started ${empty.startedAt} lists no account (its inventory held no active or invited account of ${system}), so it shows no access reviewed` };
  }
  if (running) return { ...base, status: 'not-assessed', reason: `no review of ${system} started yet in this window, which runs past the period's end` };
  return { ...base, status: 'exception', reason: `no access review of ${system} was started between ${window.from} and ${window.to}` };
}

/**
 * Whether `account` is the one a review row decided: by the system's id that a rename keeps when both the row and the
 * record carry one (a GitHub login renamed after the review is the same account, and a login taken over by someone
 * else is not), else by its name (reviews and inventories from before the id was recorded).
 */
function isReviewed(account: Account, name: string, sourceId: string | undefined): boolean {
  if (sourceId !== undefined && account.sourceId !== undefined) return account.sourceId === sourceId;
  return account.accountId.toLowerCase() === name.toLowerCase();
}

/**
 * The reviewed account in each stream of the system, seen under whatever name it had (a renamed account is a new item,
 * its key holding the name, in the same stream), and the id it had in the inventory in effect at the decision.
 */
async function reviewedItems(evidence: CheckEvidence, system: string, window: { since: Date; until: Date }, decision: { account: string; decidedAt: string }, sourceId: string | undefined): Promise<{ items: InventoryItem[]; heldAtDecision: string | undefined }> {
  const byStream = new Map<string, InventoryItem>();
  let heldAtDecision: string | undefined;
  for await (const candidate of evidence.items('access.account', window)) {
    if (candidate.system !== system) continue;
    // Only the versions that are the reviewed account: a login given up by a rename may be taken by someone else.
    const seen = candidate.seen.filter(({ record }) => isReviewed(record.data as Account, decision.account, sourceId));
    if (seen.length === 0) continue;
    heldAtDecision ??= seen.filter(({ at }) => at <= decision.decidedAt).map(({ record }) => (record.data as Account).sourceId).find((id) => id !== undefined);
    const known = byStream.get(candidate.stream);
    byStream.set(candidate.stream, known ? { ...known, seen: [...known.seen, ...seen].sort((a, b) => a.at.localeCompare(b.at)) } : { ...candidate, seen });
  }
  return { items: [...byStream.values()], heldAtDecision };
}

/** Whether a revoke was carried out by its deadline, from the inventories taken after the decision. */
async function revokeFinding(evidence: CheckEvidence, review: ReviewState, row: number, slaDays: number): Promise<Finding> {
  const decision = review.decisions.get(row)!;
  const decidedAt = new Date(decision.decidedAt);
  const deadline = new Date(decidedAt.getTime() + slaDays * DAY_MS);
  const base = { item: `revoke ${decision.account} (review ${review.reviewId} row ${row})`, system: review.system };
  const window = { since: decidedAt, until: new Date(Math.max(deadline.getTime(), evidence.period.until.getTime())) };
  const streams = new Set(review.body.sources.map((source) => source.stream));
  const later = (await evidence.inventories('access.account', window)).filter((inventory) => streams.has(inventory.stream) && inventory.observedAt > decision.decidedAt);
  // The account in each stream of the system that holds it (a directory's users and its admin-role holders are two),
  // each judged at its own stream's inventories: the revoke is carried out when every one of them shows it.
  // Stream by stream, not accountItems' merge: a merged account's inventory times are its streams' together, and at
  // another stream's time it would read as gone.
  const rowId = review.body.rows.find((candidate) => candidate.row === row)?.sourceId;
  const byName = await reviewedItems(evidence, review.system, window, decision, rowId);
  // A review started before rows carried the id: the account's id as the inventory in effect at the decision held it, when it has one.
  const items = rowId === undefined && byName.heldAtDecision !== undefined ? (await reviewedItems(evidence, review.system, window, decision, byName.heldAtDecision)).items : byName.items;
  if (items.length === 0) return revokeShown(null, later, decision, deadline, slaDays, evidence, base, review).finding;
  const shown = items.map((item) => {
    const one = revokeShown(item, later, decision, deadline, slaDays, evidence, base, review);
    return items.length > 1 ? { ...one, finding: { ...one.finding, reason: `${item.stream}: ${one.finding.reason}` } } : one;
  });
  const worst = shown.find(({ finding }) => finding.status === 'exception') ?? shown.find(({ finding }) => finding.status !== 'pass');
  // All carried out: by the stream that showed it last.
  return (worst ?? shown.reduce((last, next) => (next.at > last.at ? next : last))).finding;
}

/** The revoke as one stream's inventories show it (`item`: the account there; null when no inventory holds it), and when they showed it carried out. */
function revokeShown(
  item: InventoryItem | null,
  later: readonly { observedAt: string }[],
  decision: NonNullable<ReturnType<ReviewState['decisions']['get']>>,
  deadline: Date,
  slaDays: number,
  evidence: CheckEvidence,
  base: Pick<Finding, 'item' | 'system'>,
  review: ReviewState,
): { finding: Finding; at: string } {
  const times = item ? item.inventoryTimes.filter((at) => at > decision.decidedAt) : [...new Set(later.map((inventory) => inventory.observedAt))].sort();
  for (const at of times) {
    // Under two names in one inventory (renamed between two reads of a paged list, say): active if either is.
    const held = item?.seen.filter((observation) => observation.at === at) ?? [];
    if (held.some((observation) => ACTIVE_STATUSES.includes((observation.record.data as Account).status))) continue;
    const seen = held[0];
    const what = seen ? `${(seen.record.data as Account).status}` : 'gone';
    const records = seen ? [seen.record.hash] : [];
    if (Date.parse(at) <= deadline.getTime()) return { at, finding: { ...base, status: 'pass', records, reason: `decided ${decision.decidedAt} by ${decision.reviewer}; ${what} in the inventory of ${at}, within ${slaDays} days` } };
    return { at, finding: { ...base, status: 'exception', records, reason: `decided ${decision.decidedAt} by ${decision.reviewer}; first ${what} in the inventory of ${at}, after its deadline ${deadline.toISOString()}` } };
  }
  const lastSeen = item?.seen.at(-1);
  const records = lastSeen ? [lastSeen.record.hash] : [];
  const lastTime = times.at(-1);
  if (lastTime !== undefined && Date.parse(lastTime) >= deadline.getTime()) {
    return { at: lastTime, finding: { ...base, status: 'exception', records, reason: `decided ${decision.decidedAt} by ${decision.reviewer}; still active in the inventory of ${lastTime}, past its deadline ${deadline.toISOString()}` } };
  }
  const state = deadline.getTime() > evidence.period.until.getTime() ? `open: due by ${deadline.toISOString()}` : `overdue since ${deadline.toISOString()}`;
  const seenText = lastTime !== undefined ? `still active in the last inventory (${lastTime})` : `no inventory of ${review.system} was taken after the decision`;
  return { at: lastTime ?? '', finding: { ...base, status: 'not-assessed', records, reason: `decided ${decision.decidedAt} by ${decision.reviewer}; ${state}: ${seenText}, so no later inventory shows it carried out` } };
}

export default defineCheck({
  id: 'access-review-performed',
  title: 'User access is reviewed on schedule and revocations are carried out',
  description:
    'Each system in accessReviews.systems must have an access review started in every window of its frequency (calendar days in the audit time zone, counted from the period\'s first day) with a decision for every account (built from inventories taken in that window, no account decided by its own holder, and every decision recorded before the window ended), and every revoke decided must show in a later inventory (the account gone or no longer active) within accessReviews.revokeSlaDays. A window still running without a complete review, a review that lists no account (it reviewed nothing), or a revoke no later inventory can judge, is not assessed.',
  criteria: ['CC6.2', 'CC6.3'],
  reads: ['access.account'],
  settings: AccessReviewSettings,
  appliesTo: (source, settings) => source.systems.some((system) => settings.systems.includes(system)),
  async *evaluate({ evidence, settings, period, timezone }) {
    if (settings.systems.length === 0) {
      yield { item: '(no system in scope)', system: null, status: 'not-assessed', reason: 'accessReviews.systems in the config names no system, so no access review is expected or judged', records: [] };
      return;
    }
    const states = reviewStates(await evidence.accessReviews());
    // Windows are calendar days in the audit zone, as the period itself is read: a review started at
    // 23:30 local time on a window's last day belongs to that window even when it is the next day in UTC.
    const zone = TimeZone.of(timezone);
    const first = day(zone, period.since.getTime());
    const last = day(zone, period.until.getTime() - 1);
    const natural = periodicWindows(settings.frequency, first, addDays(last, 400));
    for (const system of settings.systems) {
      for (const window of periodicWindows(settings.frequency, first, last)) {
        const whole = natural.find((candidate) => candidate.from === window.from)!;
        const running = whole.to > window.to;
        const since = dayStart(zone, window.from);
        const until = dayStart(zone, addDays(window.to, 1));
        // Due by the end of the whole window: a window the period cuts short is not over at the period's end.
        const due = dayStart(zone, addDays(whole.to, 1));
        const reviews = states.filter((state) => state.system === system && Date.parse(state.startedAt) >= since && Date.parse(state.startedAt) < until);
        yield windowFinding(system, { ...window, since, due }, running, reviews, settings.frequency);
      }
      const inPeriod = (at: string) => Date.parse(at) >= period.since.getTime() && Date.parse(at) < period.until.getTime();
      // A revoke of a review started in the period, or decided in it on a review started before (a December review decided in
      // January): judged by the review's start alone, that one fell in neither period, never judged.
      for (const review of states.filter((state) => state.system === system)) {
        for (const [row, decision] of review.decisions) {
          if (decision.decision === 'revoke' && (inPeriod(review.startedAt) || inPeriod(decision.decidedAt))) yield await revokeFinding(evidence, review, row, settings.revokeSlaDays);
        }
      }
    }
  },
});
