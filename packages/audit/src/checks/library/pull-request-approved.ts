/**
 * Every merged pull request was approved by someone other than its author,
 * on its last commit (or after it was committed), before it was merged. An
 * emergency change merged without such an approval passes only when it was
 * approved afterwards within the emergency window (and says so); while that
 * window was still open when the change was last collected, it is not
 * assessable yet, as in emergency-change-reviewed.
 */
import { z } from 'zod';
import { type Approval, beforeDone, CODE_HOST_DEFAULTS, coversHead, describeActor, independentApprovals, isCodeHost, setAside, sourceFrom, standingObjections, type ChangeData } from '../approvals.js';
import { currentAsOf } from '../current-as-of.js';
import { defineCheck, type Finding } from '../define.js';
import { HOUR_MS, timeOf } from '../period.js';

const Settings = z
  .object({
    codeHosts: z.array(z.string()).default(CODE_HOST_DEFAULTS).describe('system prefixes that are code hosts (their change.request records are pull requests)'),
    bots: z.array(z.string()).default([]).describe('more logins whose approvals do not count'),
    emergencyReviewWithinHours: z.number().positive().default(72).describe('an emergency change approved this long after its merge passes'),
  })
  .strict();

/**
 * What GitHub's review decision adds. It is computed when it is read, not at
 * the merge: it speaks for the merge only when no review came after it.
 * CHANGES_REQUESTED then means an objection stood at the merge (GitHub may
 * know of one the reviews listed do not show, e.g. beyond what was read).
 * REVIEW_REQUIRED is judged against the branch's protection as it is now,
 * which may have been tightened since, so it is reported, never decisive.
 */
function decisionAtMerge(change: ChangeData): ChangeData['reviewDecision'] {
  const merged = timeOf(change.mergedAt);
  const later = change.approvals.some((review) => merged === null || (timeOf(review.at) ?? -Infinity) > merged);
  return later ? undefined : change.reviewDecision;
}

function judgePullRequest(change: ChangeData, approvals: Approval[], objections: Approval[], aside: string[], emergency: Emergency): Pick<Finding, 'status' | 'reason'> {
  const merged = change.mergedAt ?? 'an unknown time';
  if (objections.length > 0) {
    const named = objections.map((review) => `${describeActor(review.reviewer)} at ${review.at}`).join(', ');
    return { status: 'exception', reason: `merged at ${merged} while changes requested by ${named} still stood (neither withdrawn by an approval from that reviewer nor dismissed)` };
  }
  const decision = decisionAtMerge(change);
  if (decision === 'changes_requested') {
    return { status: 'exception', reason: `merged at ${merged} while GitHub's review decision was CHANGES_REQUESTED (a request for changes stood, and no review came after the merge)` };
  }
  const verdict = judgeApprovals(change, approvals, aside, emergency);
  if (decision !== 'review_required') return verdict;
  return { ...verdict, reason: `${verdict.reason}; note: GitHub's review decision reads REVIEW_REQUIRED (the branch's current protection asks for more approvals than it has)` };
}

/** The emergency window, and when the change was last known current (its review may still come inside the window). */
interface Emergency {
  hours: number;
  asOf: string;
}

function judgeApprovals(change: ChangeData, approvals: Approval[], aside: string[], emergency: Emergency): Pick<Finding, 'status' | 'reason'> {
  const merged = change.mergedAt ?? 'an unknown time';
  const valid = beforeDone(approvals, change).filter((approval) => coversHead(approval, change));
  if (valid.length > 0) {
    const first = valid[0]!;
    return { status: 'pass', reason: `approved by ${describeActor(first.reviewer)} at ${first.at} on the head revision, before the merge at ${merged}` };
  }
  if (change.emergency) {
    const limit = (timeOf(change.mergedAt) ?? 0) + emergency.hours * HOUR_MS;
    const after = approvals.find((approval) => (timeOf(approval.at) ?? Infinity) <= limit);
    if (after) return { status: 'pass', reason: `emergency change merged at ${merged} and reviewed afterwards by ${describeActor(after.reviewer)} at ${after.at}` };
    if ((timeOf(emergency.asOf) ?? 0) < limit) {
      return { status: 'not-assessable', reason: `emergency change merged at ${merged}; no review yet when last collected (${emergency.asOf}), the window runs until ${new Date(limit).toISOString()}` };
    }
  }
  const stale = beforeDone(approvals, change).filter((approval) => !coversHead(approval, change));
  const why = stale.length > 0
    ? `its independent approval (${describeActor(stale[0]!.reviewer)} at ${stale[0]!.at}) was on revision ${stale[0]!.revision ?? 'unknown'}, not the merged head ${change.headRevision ?? 'unknown'}`
    : approvals.length > 0
      ? `it was approved only after the merge (${describeActor(approvals[0]!.reviewer)} at ${approvals[0]!.at})`
      : 'it has no independent approval';
  const notes = aside.length > 0 ? ` (${aside.join('; ')})` : '';
  return { status: 'exception', reason: `merged at ${merged}; ${why}${notes}${change.emergency ? '; emergency change not reviewed within the window' : ''}` };
}

export default defineCheck({
  id: 'pull-request-approved',
  title: 'Merged pull requests approved by another person on the final code',
  description:
    'Each pull request merged in the period needs an approval by someone other than its author, given on the commit that was merged (or after it was committed when the source does not name the commit) and before the merge, and no reviewer\'s request for changes may still stand at the merge (a reviewer\'s latest opinion counts: their later approval withdraws it, a dismissal removes it; GitHub\'s review decision CHANGES_REQUESTED counts too when no review came after the merge). Dismissed approvals, approvals by bots and approvals of earlier commits do not count. An emergency change may instead be approved within the emergency window after its merge.',
  criteria: ['CC8.1'],
  reads: ['change.request'],
  settings: Settings,
  appliesTo: (source, settings) => sourceFrom(source, settings.codeHosts),
  async *evaluate({ evidence, settings, people }) {
    const current = await currentAsOf(evidence, 'change.request');
    for await (const record of evidence.events('change.request')) {
      if (!isCodeHost(record.system, settings.codeHosts)) continue;
      const change = record.data as ChangeData;
      if (change.mergedAt === null) continue;
      const approvals = independentApprovals(change, people, settings.bots);
      const verdict = judgePullRequest(change, approvals, standingObjections(change, people), setAside(change, people, settings.bots), { hours: settings.emergencyReviewWithinHours, asOf: current(record) });
      yield { item: `${change.id} ${change.title}`.trim(), system: record.system, ...verdict, records: [record.hash] };
    }
  },
});
