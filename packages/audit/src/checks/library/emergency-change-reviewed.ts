/**
 * Every emergency change done in the period (pull request or ticket) was
 * reviewed: approved by someone other than its author, before it was done or
 * within the configured window afterwards. While the window is still open at
 * the time the change was last observed, the finding is not assessable yet.
 */
import { z } from 'zod';
import { describeActor, independentApprovals, type ChangeData } from '../approvals.js';
import { currentAsOf } from '../current-as-of.js';
import { defineCheck } from '../define.js';
import { HOUR_MS, timeOf } from '../period.js';

const Settings = z
  .object({
    reviewWithinHours: z.number().positive().default(72).describe('how long after an emergency change its review may come'),
    bots: z.array(z.string()).default([]).describe('more logins whose approvals do not count'),
  })
  .strict();

export default defineCheck({
  id: 'emergency-change-reviewed',
  title: 'Emergency changes reviewed afterwards',
  description:
    'Each change marked as an emergency and done in the period needs an approval by someone other than its author, at the latest the configured number of hours after it was done.',
  criteria: ['CC8.1'],
  reads: ['change.request'],
  settings: Settings,
  async *evaluate({ evidence, settings, people }) {
    // Judged as of when the record was last known current: a ticket still unreviewed at a later complete collection stayed so.
    const current = await currentAsOf(evidence, 'change.request');
    for await (const record of evidence.events('change.request')) {
      const change = record.data as ChangeData;
      if (!change.emergency || change.mergedAt === null) continue;
      const done = timeOf(change.mergedAt) ?? 0;
      const deadline = done + settings.reviewWithinHours * HOUR_MS;
      const review = independentApprovals(change, people, settings.bots).find((approval) => (timeOf(approval.at) ?? Infinity) <= deadline);
      const base = { item: `${change.id} ${change.title}`.trim(), system: record.system, records: [record.hash] };
      const limit = new Date(deadline).toISOString();
      if (review) {
        const when = (timeOf(review.at) ?? 0) <= done ? 'before it was done' : 'afterwards';
        yield { ...base, status: 'pass', reason: `emergency change done at ${change.mergedAt}, reviewed ${when} by ${describeActor(review.reviewer)} at ${review.at}` };
      } else if ((timeOf(current(record)) ?? 0) < deadline) {
        yield { ...base, status: 'not-assessable', reason: `emergency change done at ${change.mergedAt}; no review yet when last collected (${current(record)}), the window runs until ${limit}` };
      } else {
        yield { ...base, status: 'exception', reason: `emergency change done at ${change.mergedAt} and not reviewed by another person by ${limit}` };
      }
    }
  },
});
