/**
 * How the issue lists are read, both through the SDK's one paginator: the
 * enhanced JQL search (`nextPageToken`) and an issue's changelog (`startAt`).
 * Jira serves a page again or shifts one when tickets are edited while a
 * search runs; the paginator de-duplicates by id (issue id, changelog entry
 * id), tolerates the repetition, and fails only on a real loop, naming the
 * token. An issue missed by a shift shows up in the count cross-check.
 */
import { paginate } from '@evidentia/sdk';
import type { JiraClient } from './client.js';
import type { History, Issue } from './schema.js';

/** An issue of a search page and the snapshot of that page. */
export interface SearchedIssue {
  issue: Issue;
  source: string;
}

/** Every distinct issue the search returns, in the order first served. */
export function searchIssues(client: JiraClient, jql: string, fields: string[]): AsyncGenerator<SearchedIssue> {
  return paginate<SearchedIssue, string>({
    what: `the Jira search ${jql}`,
    first: null,
    key: (item) => item.issue.id,
    describeCursor: (token) => (token === null ? 'the first page' : `nextPageToken ${token}`),
    fetchPage: async (token) => {
      const page = await client.search({ jql, fields, ...(token === null ? {} : { nextPageToken: token }) });
      const items = page.value.issues.map((issue) => ({ issue, source: page.source }));
      return { items, next: page.value.isLast === true ? null : page.value.nextPageToken };
    },
  });
}

/** A changelog that ended before the entries Jira says it holds: the issue cannot be judged from part of its history. */
export class ShortChangelog extends Error {
  override name = 'ShortChangelog';
}

/**
 * The issue's whole changelog. The search embeds only the most recent entries
 * (`total` says how many exist); when some are missing, the changelog endpoint
 * is read from the start instead, because the oldest entries (the approval)
 * are the ones an audit needs. A reading that ends (an empty page, `isLast`)
 * with fewer distinct entries than the last page's `total` throws
 * ShortChangelog rather than passing part of the history as all of it.
 */
export async function fullChangelog(client: JiraClient, issue: Issue): Promise<{ histories: History[]; sources: string[] }> {
  const embedded = issue.changelog;
  if (embedded.total <= embedded.histories.length) return { histories: embedded.histories, sources: [] };
  const sources: string[] = [];
  const histories: History[] = [];
  let total = embedded.total;
  const entries = paginate<History, number>({
    what: `the changelog of ${issue.key}`,
    first: 0,
    key: (history) => history.id,
    describeCursor: (startAt) => `startAt ${String(startAt)}`,
    fetchPage: async (startAt) => {
      const page = await client.changelog(issue.key, startAt ?? 0);
      if (!sources.includes(page.source)) sources.push(page.source);
      const { values, isLast } = page.value;
      total = page.value.total;
      const next = page.value.startAt + values.length;
      return { items: values, next: isLast === true || values.length === 0 || next >= total ? null : next };
    },
  });
  for await (const history of entries) histories.push(history);
  if (histories.length < total) {
    throw new ShortChangelog(`its changelog ended after ${histories.length} of the ${total} entries Jira reports (GET /rest/api/3/issue/${issue.key}/changelog); the history that is missing could hold its approval`);
  }
  return { histories, sources };
}
