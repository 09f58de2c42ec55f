/**
 * The data of the simulated Jira site: issues with their fields and
 * changelogs, the site's field list, and the edits a test makes between runs
 * (create, transition, set a field, delete). Every edit moves `updated` and
 * appends a changelog entry, as Jira does, and bumps the issue's `version`,
 * which tests compare with what the locker holds. Rendering to the REST
 * shapes lives here too, so the server (simulator.ts) only routes.
 */

/** A simulated account, rendered as Jira renders users. */
export const simUser = (n: number) => ({ accountId: `712020:sim-${n}`, displayName: `User ${n}`, emailAddress: `user-${n}@example.com`, accountType: 'atlassian' });

/** Statuses of the simulated workflows; `done` ones are in Jira's done category (they set the resolution date). */
export const STATUSES: Record<string, { id: string; done: boolean }> = {
  Open: { id: '1', done: false },
  'In Review': { id: '10002', done: false },
  Approved: { id: '10003', done: false },
  Deployed: { id: '10004', done: true },
  Investigating: { id: '10005', done: false },
  Resolved: { id: '10006', done: true },
  'In Progress': { id: '3', done: false },
  Done: { id: '10001', done: true },
};

/** The site's fields as GET /rest/api/3/field lists them (the custom ones the soak's mapping names). */
export const SIM_FIELDS = [
  ...['summary', 'status', 'created', 'updated', 'resolutiondate', 'resolution', 'reporter', 'creator', 'project', 'issuetype', 'labels', 'issuelinks', 'priority', 'duedate'].map((id) => ({
    id,
    name: id,
    custom: false,
    schema: { type: 'string', system: id },
  })),
  { id: 'customfield_10050', name: 'Approvers', custom: true, schema: { type: 'array', items: 'user', custom: 'com.atlassian.jira.plugin.system.customfieldtypes:multiuserpicker' } },
  { id: 'customfield_10060', name: 'Severity', custom: true, schema: { type: 'option', custom: 'com.atlassian.jira.plugin.system.customfieldtypes:select' } },
  { id: 'customfield_10070', name: 'Employee email', custom: true, schema: { type: 'string', custom: 'com.atlassian.jira.plugin.system.customfieldtypes:textfield' } },
  { id: 'customfield_10080', name: 'Post-mortem', custom: true, schema: { type: 'string', custom: 'com.atlassian.jira.plugin.system.customfieldtypes:url' } },
  { id: 'customfield_10072', name: 'Effective date', custom: true, schema: { type: 'date', custom: 'com.atlassian.jira.plugin.system.customfieldtypes:datepicker' } },
];

interface HistoryItem {
  field: string;
  fieldtype: string;
  fieldId: string;
  from: string | null;
  fromString: string | null;
  to: string | null;
  toString: string | null;
}

export interface SimHistory {
  id: string;
  author: ReturnType<typeof simUser>;
  created: string;
  items: HistoryItem[];
}

export interface SimIssue {
  id: string;
  key: string;
  project: string;
  type: string;
  summary: string;
  status: string;
  created: number;
  updated: number;
  resolved: number | null;
  reporter: number;
  labels: string[];
  /** The resolution a done status sets (default Done), e.g. Won't Do. */
  resolutionName?: string;
  /** URLs of the issue's remote links (e.g. a pull request). */
  remoteLinks?: string[];
  /** Custom field values by id, as the REST API returns them. */
  custom: Record<string, unknown>;
  /** Oldest first. */
  histories: SimHistory[];
  /** Bumped by every edit. */
  version: number;
}

export interface NewIssue {
  project: string;
  type: string;
  summary: string;
  status: string;
  at: number;
  reporter: number;
  custom?: Record<string, unknown>;
}

export const jiraTime = (ms: number) => new Date(ms).toISOString().replace('Z', '+0000');

/** Jira's order for `ORDER BY created ASC, key ASC`: keys compare by project, then number. */
export function byCreatedThenKey(a: SimIssue, b: SimIssue): number {
  const number = (key: string) => Number(key.slice(key.lastIndexOf('-') + 1));
  return a.created - b.created || a.project.localeCompare(b.project) || number(a.key) - number(b.key);
}

export class SimSite {
  readonly issues = new Map<string, SimIssue>();
  private nextId = 10_000;
  private nextHistory = 1;
  private readonly numbers = new Map<string, number>();

  create(input: NewIssue): SimIssue {
    const number = (this.numbers.get(input.project) ?? 0) + 1;
    this.numbers.set(input.project, number);
    const issue: SimIssue = {
      id: String(this.nextId++),
      key: `${input.project}-${number}`,
      project: input.project,
      type: input.type,
      summary: input.summary,
      status: input.status,
      created: input.at,
      updated: input.at,
      resolved: null,
      reporter: input.reporter,
      labels: [],
      custom: { ...input.custom },
      histories: [],
      version: 1,
    };
    this.issues.set(issue.key, issue);
    return issue;
  }

  private get(key: string): SimIssue {
    const issue = this.issues.get(key);
    if (!issue) throw new Error(`the simulated Jira has no issue ${key}`);
    return issue;
  }

  private record(issue: SimIssue, at: number, by: number, item: HistoryItem): void {
    if (at < issue.updated) throw new Error(`an edit of ${issue.key} at ${jiraTime(at)} would be older than its last update`);
    issue.histories.push({ id: String(this.nextHistory++), author: simUser(by), created: jiraTime(at), items: [item] });
    issue.updated = at;
    issue.version++;
  }

  /** Move the issue to another status, as a workflow transition by `by` at `at`. */
  transition(key: string, to: string, at: number, by: number): void {
    const issue = this.get(key);
    const [from, target] = [STATUSES[issue.status]!, STATUSES[to]];
    if (!target) throw new Error(`the simulated Jira has no status ${to}`);
    this.record(issue, at, by, { field: 'status', fieldtype: 'jira', fieldId: 'status', from: from.id, fromString: issue.status, to: target.id, toString: to });
    issue.status = to;
    issue.resolved = target.done ? at : null;
  }

  /** Set a custom field (`text` is how the changelog shows the value). */
  setField(key: string, fieldId: string, value: unknown, text: string, at: number, by: number): void {
    const issue = this.get(key);
    const before = issue.custom[fieldId];
    this.record(issue, at, by, { field: fieldId, fieldtype: 'custom', fieldId, from: null, fromString: before === undefined ? null : JSON.stringify(before), to: null, toString: text });
    issue.custom[fieldId] = value;
  }

  /** Add a label (an edit that changes no evidence field, only the changelog). */
  label(key: string, label: string, at: number, by: number): void {
    const issue = this.get(key);
    this.record(issue, at, by, { field: 'labels', fieldtype: 'jira', fieldId: 'labels', from: null, fromString: issue.labels.join(' '), to: null, toString: [...issue.labels, label].join(' ') });
    issue.labels.push(label);
  }

  remove(key: string): void {
    this.get(key);
    this.issues.delete(key);
  }
}

/** An issue as the enhanced search returns it: the asked fields, and the newest `embedded` changelog entries. */
export function renderIssue(issue: SimIssue, fields: string[], embedded: number): unknown {
  const reporter = simUser(issue.reporter);
  const all: Record<string, unknown> = {
    summary: issue.summary,
    status: { id: STATUSES[issue.status]!.id, name: issue.status },
    created: jiraTime(issue.created),
    updated: jiraTime(issue.updated),
    resolutiondate: issue.resolved === null ? null : jiraTime(issue.resolved),
    resolution: issue.resolved === null ? null : { id: '10000', name: issue.resolutionName ?? 'Done' },
    reporter,
    creator: reporter,
    project: { key: issue.project },
    issuetype: { name: issue.type },
    labels: issue.labels,
    issuelinks: [],
    ...issue.custom,
  };
  const wanted = Object.fromEntries(fields.map((id) => [id, all[id] ?? null]));
  const histories = issue.histories.slice(-embedded).reverse();
  return { id: issue.id, key: issue.key, fields: wanted, changelog: { startAt: 0, maxResults: embedded, total: issue.histories.length, histories } };
}
