/**
 * The 30-day benchmark: AWS, Google Workspace, Slack, GitHub and Jira
 * simulated at bench scale on 127.0.0.1 (the soak tests' simulators, which the
 * real SDK clients talk to), one config with all five, 30 daily runs through the real runner
 * into one locker, a few changes in every system each day. It measures the
 * locker on disk after run 1 and after run 30 against the target "at most
 * 1.05 times one run's bytes plus the changes", and each run's requests,
 * records and wall time. Measured here, never asserted in tests.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BenchSection } from './section.js';
import { awsSystem } from './thirty-days/aws.js';
import { dailyRuns } from './thirty-days/daily-runs.js';
import { githubSystem } from './thirty-days/github.js';
import { googleWorkspaceSystem } from './thirty-days/google-workspace.js';
import { jiraSystem } from './thirty-days/jira.js';
import { thirtyDaysMarkdown } from './thirty-days/report.js';
import { SCALE } from './thirty-days/simulated-system.js';
import { slackSystem } from './thirty-days/slack.js';

/** 30 for the published figures; fewer for a quick trial (`THIRTY_DAYS_RUNS=3`). */
const RUNS = Number(process.env.THIRTY_DAYS_RUNS ?? '30');
if (!Number.isInteger(RUNS) || RUNS < 1) throw new Error(`THIRTY_DAYS_RUNS must be a whole number of runs, got ${process.env.THIRTY_DAYS_RUNS}`);
const START = new Date('2026-03-02T06:00:00Z');

export async function benchThirtyDays(): Promise<BenchSection> {
  const systems = [await awsSystem(START), await googleWorkspaceSystem(START), await slackSystem(START), await githubSystem(START), await jiraSystem(START)];
  const dir = await mkdtemp(join(tmpdir(), 'evidentia-bench-30-'));
  try {
    const measured = await dailyRuns(dir, systems, START, RUNS, (line) => process.stderr.write(`  ${line}\n`));
    return { title: `Thirty daily runs: storage and requests${SCALE === 1 ? '' : ` (scale ${SCALE})`}`, markdown: thirtyDaysMarkdown(systems, measured) };
  } finally {
    await Promise.all(systems.map((s) => s.close()));
    await rm(dir, { recursive: true, force: true });
  }
}
