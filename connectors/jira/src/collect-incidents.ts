/** The `incidents` stream: incident tickets (default JQL `issuetype = Incident`) as incident.record records for CC7.3–CC7.5. */
import type { StreamContext } from '@evidentia/sdk';
import { collectIssues, type IssueStream } from './collect-issues.js';
import type { JiraConfig } from './config.js';
import { incidentRecord } from './normalize-incidents.js';

export const incidentsStream: IssueStream<'incidents', 'incident.record'> = {
  name: 'incidents',
  fieldSettings: (mapping) => ({ severityField: mapping.severityField, postMortemField: mapping.postMortemField }),
  record: (facts, mapping, field) => incidentRecord(facts, mapping, { severity: field('severityField')!, postMortem: field('postMortemField') }),
};

export function collectIncidents(ctx: StreamContext<JiraConfig>): Promise<void> {
  return collectIssues(ctx, incidentsStream);
}
