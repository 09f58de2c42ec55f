/**
 * The JQL the simulated Jira understands: exactly what the connector sends,
 * `(<clauses joined by AND>) AND updated >= "yyyy-MM-dd HH:mm" AND updated <
 * "…"` with an optional ORDER BY, where a clause is `field = value` or
 * `field in (a, b)` on `project` or `issuetype`. Anything else is rejected
 * with Jira's 400 shape, so a connector change that sends other JQL fails
 * loudly instead of matching nothing. Bounds are read in UTC (the simulated
 * account's time zone).
 */

/** A JQL the simulator cannot evaluate; served as HTTP 400 with Jira's `errorMessages`. */
export class JqlError extends Error {
  override name = 'JqlError';
}

export interface Clause {
  field: 'project' | 'issuetype';
  /** Lower-cased: JQL compares these values without case. */
  values: string[];
}

export interface ParsedJql {
  clauses: Clause[];
  /** Epoch ms of `updated >=`, null when absent. */
  since: number | null;
  /** Epoch ms of `updated <`, null when absent. */
  until: number | null;
}

const BOUND = /\s*AND\s+updated\s*(>=|<)\s*"(\d{4}-\d{2}-\d{2} \d{2}:\d{2})"/gi;
const unquote = (value: string) => value.trim().replace(/^"(.*)"$/, '$1').trim().toLowerCase();

function clause(text: string): Clause {
  const match = /^(\w+)\s*(?:=\s*(.+)|\s+in\s*\((.*)\))$/i.exec(text.trim());
  const field = match?.[1]?.toLowerCase();
  if (!match || (field !== 'project' && field !== 'issuetype')) throw new JqlError(`the simulated Jira cannot evaluate the clause '${text.trim()}'`);
  const values = match[2] !== undefined ? [unquote(match[2])] : match[3]!.split(',').map(unquote);
  return { field, values };
}

export function parseJql(jql: string): ParsedJql {
  let since: number | null = null;
  let until: number | null = null;
  const withoutOrder = jql.replace(/\s+ORDER\s+BY\s+.*$/i, '');
  const filter = withoutOrder.replace(BOUND, (_, op: string, time: string) => {
    const at = Date.parse(`${time.replace(' ', 'T')}:00Z`);
    if (op === '>=') since = at;
    else until = at;
    return '';
  });
  const inner = /^\s*\((.*)\)\s*$/.exec(filter)?.[1];
  if (inner === undefined) throw new JqlError(`the simulated Jira expects '(<JQL>) AND updated …', got '${jql}'`);
  return { clauses: inner.split(/\s+AND\s+/i).map(clause), since, until };
}

/** Whether an issue with these attributes matches the parsed query. */
export function matches(query: ParsedJql, issue: { project: string; type: string; updated: number }): boolean {
  if (query.since !== null && issue.updated < query.since) return false;
  if (query.until !== null && issue.updated >= query.until) return false;
  return query.clauses.every((c) => c.values.includes((c.field === 'project' ? issue.project : issue.type).toLowerCase()));
}
