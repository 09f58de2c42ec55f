/**
 * The Jira site of the 30-day benchmark: change tickets, incidents and HR
 * tickets (three projects, one stream each), served by the soak test's
 * simulator (connectors/jira/src/simulator.ts) and given a life by its
 * workload (simulator-workload.ts): a few thousand tickets created and moved
 * through their workflows in the 85 days before run 1, then each day tens of
 * new tickets and a few edits per project, the last of them in the hour
 * before the run so the next run's overlap reads them again.
 */
import { JiraSimulator } from '../../connectors/jira/src/simulator.js';
import { PROJECTS, SimWorkload } from '../../connectors/jira/src/simulator-workload.js';
import { scaled, type SimulatedSystem } from './simulated-system.js';

const HISTORY_DAYS = 85;
const CREATED_PER_DAY = scaled(10);
const EDITED_PER_DAY = scaled(6);

/** Sizes other than the 30-day benchmark's (bench/memory.ts collects the large org of issue 15). */
export interface JiraSizes {
  /** Tickets created before run 1, shared out over the three projects as evenly as they go (3,000 at scale 1). */
  tickets?: number;
}

export async function jiraSystem(start: Date, sizes: JiraSizes = {}): Promise<SimulatedSystem> {
  const tickets = sizes.tickets ?? PROJECTS.length * scaled(1_000);
  const perProject = PROJECTS.map((_, index) => Math.floor(tickets / PROJECTS.length) + (index < tickets % PROJECTS.length ? 1 : 0));
  const sim = new JiraSimulator();
  const work = new SimWorkload(sim.site);
  work.populate(perProject, start.getTime() - 60_000, HISTORY_DAYS);
  await sim.start();
  let previousRun = start.getTime();
  return {
    instance: 'jira',
    scale: [`Jira: ${tickets.toLocaleString('en-US')} tickets (${perProject.map((n) => n.toLocaleString('en-US')).join(', ')} of changes, incidents and HR) created over the ${HISTORY_DAYS} days before run 1, each moved up to three steps through its workflow (JQL search pages of 100 with changelogs embedded); each day ${CREATED_PER_DAY} new tickets and ${EDITED_PER_DAY} edits per project (a status step, or a label, severity or effective-date change), the last two within the hour before the run.`],
    yaml: [
      '  jira:',
      '    config:',
      '      host: https://acme.atlassian.net',
      `      baseUrl: ${sim.baseUrl}`,
      '      email: evidence-bot@example.com',
      '      apiToken: ${env:JIRA_BENCH_TOKEN}',
      '      streams:',
      '        changes: { jql: "project = CHG AND issuetype = Change", approverField: Approvers }',
      '        incidents: { jql: "project = INC AND issuetype = Incident", severityField: Severity }',
      '        personnel: { jql: "project = HR", personField: Employee email, effectiveDateField: Effective date }',
    ].join('\n'),
    env: { JIRA_BENCH_TOKEN: 'bench-token-not-real' },
    beforeRun(run, now) {
      if (run === 1) return;
      work.day(previousRun, now.getTime(), { create: CREATED_PER_DAY, edit: EDITED_PER_DAY });
      previousRun = now.getTime();
    },
    close: () => sim.close(),
  };
}
