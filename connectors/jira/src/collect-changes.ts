/** The `changes` stream: change tickets (default JQL `issuetype = Change`) as change.request records for CC8.1. */
import type { StreamContext } from '@evidentia/sdk';
import { collectIssues, type IssueStream } from './collect-issues.js';
import type { JiraConfig } from './config.js';
import { changeRequestRecord } from './normalize-changes.js';

export const changesStream: IssueStream<'changes', 'change.request'> = {
  name: 'changes',
  extraFields: ['resolution'],
  remoteLinks: (mapping) => mapping.developmentLinks,
  fieldSettings: (mapping) => ({ approverField: mapping.approverField, emergencyField: mapping.emergencyField }),
  record: (facts, mapping, field) => changeRequestRecord(facts, mapping, { approver: field('approverField'), emergency: field('emergencyField') }),
};

export function collectChanges(ctx: StreamContext<JiraConfig>): Promise<void> {
  return collectIssues(ctx, changesStream);
}
