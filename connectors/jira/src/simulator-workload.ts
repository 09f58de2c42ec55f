/**
 * A deterministic life for the simulated site: change tickets (CHG),
 * incidents (INC) and HR tickets (HR, including a type no personnel mapping
 * names) created, moved through their workflows, edited and deleted day after
 * day. Soak tests and benchmarks drive it between runs; every edit goes
 * through SimSite, so `updated` and the changelog move as in Jira.
 */
import type { SimIssue, SimSite } from './simulator-site.js';

const MINUTE = 60_000;
const DAY = 86_400_000;

export const PROJECTS = ['CHG', 'INC', 'HR'] as const;
export type Project = (typeof PROJECTS)[number];

const WORKFLOW: Record<Project, string[]> = {
  CHG: ['Open', 'In Review', 'Approved', 'Deployed'],
  INC: ['Open', 'Investigating', 'Resolved'],
  HR: ['Open', 'In Progress', 'Done'],
};
const HR_TYPES = ['Onboarding', 'Offboarding', 'Equipment request'];
const SEVERITIES = ['SEV1', 'SEV2', 'SEV3'];

export const FIELD = { approvers: 'customfield_10050', severity: 'customfield_10060', email: 'customfield_10070', effective: 'customfield_10072' } as const;

/** What one day of edits did. */
export interface DayOfEdits {
  created: string[];
  edited: string[];
  deleted: string[];
}

export class SimWorkload {
  private seed: number;
  private serial = 0;

  constructor(
    private readonly site: SimSite,
    seed = 12_345,
  ) {
    this.seed = seed;
  }

  /** A number in [0, n), reproducible from the seed. */
  random(n: number): number {
    this.seed = (this.seed * 1_103_515_245 + 12_345) % 2 ** 31;
    return this.seed % n;
  }

  create(project: Project, at: number): SimIssue {
    const n = ++this.serial;
    const type = project === 'CHG' ? 'Change' : project === 'INC' ? 'Incident' : HR_TYPES[n % HR_TYPES.length]!;
    const custom: Record<string, unknown> =
      project === 'CHG'
        ? { [FIELD.approvers]: [{ accountId: `712020:sim-${100 + (n % 3)}`, displayName: `User ${100 + (n % 3)}`, accountType: 'atlassian' }] }
        : project === 'INC'
          ? { [FIELD.severity]: { value: SEVERITIES[n % 3] } }
          : { [FIELD.email]: `person-${n}@example.com`, [FIELD.effective]: new Date(at + 14 * DAY).toISOString().slice(0, 10) };
    return this.site.create({ project, type, summary: `${type} ${n}`, status: 'Open', at, reporter: n % 7, custom });
  }

  /**
   * One edit in the issue's workflow at `at`: the next status while there is
   * one; after that a field edit (a label on a change, which leaves its
   * evidence unchanged; a new severity; a moved effective date).
   */
  advance(issue: SimIssue, at: number): void {
    const project = issue.project as Project;
    const steps = WORKFLOW[project];
    const next = steps[steps.indexOf(issue.status) + 1];
    const by = 1 + this.random(6);
    if (next !== undefined) return this.site.transition(issue.key, next, at, by);
    if (project === 'CHG') return this.site.label(issue.key, `note-${issue.version}`, at, by);
    if (project === 'INC') {
      const severity = SEVERITIES[(SEVERITIES.indexOf((issue.custom[FIELD.severity] as { value: string }).value) + 1) % 3]!;
      return this.site.setField(issue.key, FIELD.severity, { value: severity }, severity, at, by);
    }
    const date = new Date(Date.parse(String(issue.custom[FIELD.effective])) + DAY).toISOString().slice(0, 10);
    this.site.setField(issue.key, FIELD.effective, date, date, at, by);
  }

  /**
   * `perProject` issues of each project (or as many as its entry, in PROJECTS' order) created over `days` days
   * before `until`, each edited up to three times.
   */
  populate(perProject: number | readonly number[], until: number, days: number): void {
    for (const [index, project] of PROJECTS.entries()) {
      const count = typeof perProject === 'number' ? perProject : (perProject[index] ?? 0);
      for (let i = 0; i < count; i++) {
        const created = until - days * DAY + Math.floor(((i + 0.5) * days * DAY) / count);
        const issue = this.create(project, created);
        const edits = this.random(4);
        for (let e = 1; e <= edits; e++) this.advance(issue, Math.min(until - MINUTE, created + e * 3 * 60 * MINUTE));
      }
    }
  }

  /**
   * A day of work between two runs, in (from, to): per project `create` new
   * issues and `edit` edits of as many existing ones, the last two within the final
   * hour (so the next run's overlap reads them again), and the deletion of
   * one issue from `deletable` when given.
   */
  day(from: number, to: number, options: { create: number; edit: number; deletable?: (project: Project) => string | undefined }): DayOfEdits {
    const done: DayOfEdits = { created: [], edited: [], deleted: [] };
    for (const project of PROJECTS) {
      const victim = options.deletable?.(project);
      if (victim !== undefined) {
        this.site.remove(victim);
        done.deleted.push(victim);
      }
      for (let i = 0; i < options.create; i++) done.created.push(this.create(project, from + (i + 1) * 37 * MINUTE).key);
      const existing = [...this.site.issues.values()].filter((issue) => issue.project === project);
      for (let i = 0; i < options.edit; i++) {
        const issue = existing.splice(this.random(existing.length), 1)[0]!;
        const at = i >= options.edit - 2 ? to - (options.edit - i) * 20 * MINUTE : from + 6 * 60 * MINUTE + i * 53 * MINUTE;
        if (at <= issue.updated) continue;
        this.advance(issue, at);
        done.edited.push(issue.key);
      }
    }
    return done;
  }
}
