/**
 * Every change ticket (a change.request from a system that is not a code
 * host, e.g. Jira) done in the period was approved before it was done, by
 * someone other than its author unless the setting allows self-approval.
 * An emergency ticket approved only afterwards is judged by
 * emergency-change-reviewed; here it passes with that said. A ticket done
 * while still awaiting approval is an exception naming who it awaited; one
 * closed as turned down (Won't Do, Rejected) made no change and passes so.
 */
import { z } from 'zod';
import { beforeDone, CODE_HOST_DEFAULTS, describeActor, independentApprovals, isBot, isCodeHost, setAside, sourceFrom, type ChangeData } from '../approvals.js';
import { awaitingApproval, isRejected, REJECTED_RESOLUTIONS } from '../change-tickets.js';
import { defineCheck } from '../define.js';
import type { PeopleDirectory } from '../people.js';

const Settings = z
  .object({
    codeHosts: z.array(z.string()).default(CODE_HOST_DEFAULTS).describe('system prefixes whose changes are pull requests (judged by pull-request-approved)'),
    bots: z.array(z.string()).default([]).describe('more logins whose approvals do not count'),
    requireIndependentApprover: z.boolean().default(true).describe('the approver must be someone other than the ticket author'),
    rejectedResolutions: z.array(z.string()).default(REJECTED_RESOLUTIONS).describe('resolutions that mean the ticket was turned down: closed so, it made no change to judge'),
  })
  .strict();

function approvalsOf(change: ChangeData, people: PeopleDirectory, settings: z.infer<typeof Settings>) {
  if (settings.requireIndependentApprover) return independentApprovals(change, people, settings.bots);
  return change.approvals.filter((approval) => approval.state === 'approved' && approval.at !== null && !isBot(approval.reviewer, settings.bots));
}

export default defineCheck({
  id: 'change-ticket-approved',
  title: 'Change tickets approved before they were done',
  description:
    'Each change ticket done in the period (from a ticketing system, not a code host) needs an approval before the moment it was done, by someone other than its author and not by a bot; a ticket done or deployed while still awaiting approval is an exception naming whom it awaited. Emergency tickets approved only afterwards are listed as passing here and judged by the emergency-change check. A ticket closed with a turned-down resolution (Won\'t Do, Rejected, …) made no change and passes saying so.',
  criteria: ['CC8.1'],
  reads: ['change.request'],
  settings: Settings,
  appliesTo: (source, settings) => !sourceFrom(source, settings.codeHosts),
  async *evaluate({ evidence, settings, people }) {
    for await (const record of evidence.events('change.request')) {
      if (isCodeHost(record.system, settings.codeHosts)) continue;
      const change = record.data as ChangeData;
      if (change.mergedAt === null) continue;
      const base = { item: `${change.id} ${change.title}`.trim(), system: record.system, records: [record.hash] };
      if (isRejected(change, settings.rejectedResolutions)) {
        yield { ...base, status: 'pass', reason: `closed as ${change.resolution} at ${change.mergedAt}: turned down, no change was made` };
        continue;
      }
      const approvals = approvalsOf(change, people, settings);
      const before = beforeDone(approvals, change);
      if (before.length > 0) {
        yield { ...base, status: 'pass', reason: `approved by ${describeActor(before[0]!.reviewer)} at ${before[0]!.at}, before it was done at ${change.mergedAt}` };
      } else if (change.emergency && approvals.length > 0) {
        yield { ...base, status: 'pass', reason: `emergency change done at ${change.mergedAt}, approved afterwards by ${describeActor(approvals[0]!.reviewer)} at ${approvals[0]!.at} (see emergency-change-reviewed)` };
      } else {
        const aside = setAside(change, people, settings.bots);
        const late = approvals[0] ? `; approved only afterwards by ${describeActor(approvals[0].reviewer)} at ${approvals[0].at}` : `; it ${awaitingApproval(change)}`;
        yield { ...base, status: 'exception', reason: `done at ${change.mergedAt} without a prior approval${late}${aside.length ? ` (${aside.join('; ')})` : ''}` };
      }
    }
  },
});
