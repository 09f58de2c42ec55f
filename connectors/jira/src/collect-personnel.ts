/**
 * The `personnel` stream: HR onboarding and offboarding tickets (default JQL
 * `project = HR AND issuetype in (Onboarding, Offboarding)`) as
 * personnel.event records for CC1.4, CC6.2 and CC6.3.
 */
import type { StreamContext } from '@evidentia/sdk';
import { collectIssues, type IssueStream } from './collect-issues.js';
import type { JiraConfig } from './config.js';
import { personnelRecord } from './normalize-personnel.js';

export const personnelStream: IssueStream<'personnel', 'personnel.event'> = {
  name: 'personnel',
  fieldSettings: (mapping) => ({
    personField: mapping.personField,
    personNameField: mapping.personNameField,
    effectiveDateField: mapping.effectiveDateField,
    typeField: mapping.typeField,
  }),
  record: (facts, mapping, field) =>
    personnelRecord(facts, mapping, { person: field('personField')!, personName: field('personNameField'), effectiveDate: field('effectiveDateField')!, type: field('typeField')! }),
};

export function collectPersonnel(ctx: StreamContext<JiraConfig>): Promise<void> {
  return collectIssues(ctx, personnelStream);
}
