/**
 * What the three streams share: connect and record the identity, resolve the
 * mapped fields against the site (a missing one fails the stream before any
 * search), bound the stream's JQL by the collection range in the account's
 * time zone, ask Jira for its count of matching issues (the enhanced search
 * reports no total), then page through the enhanced search (`nextPageToken`,
 * 100 issues a page, changelog expanded), completing any truncated changelog,
 * and emit one record per issue. Pages are handled one at a time, so memory
 * stays bounded whatever the population.
 */
import type { RecordKind } from '@evidentia/evidence';
import type { RecordInput, StreamContext } from '@evidentia/sdk';
import { JiraClient, type Sourced } from './client.js';
import { issueUrl, siteUrl, type JiraConfig } from './config.js';
import { resolveMapping } from './fields.js';
import type { IssueFacts, Mapped } from './issue-facts.js';
import { rangedJql, SEARCH_ORDER } from './jql.js';
import { BASE_FIELD_IDS, BaseFields, parseResponse, type History, type Issue, type SearchPage } from './schema.js';

export type StreamName = keyof JiraConfig['streams'];

/** One issue stream: which mapping settings name fields, and how an issue becomes a record. */
export interface IssueStream<N extends StreamName, K extends RecordKind> {
  name: N;
  /** The mapping's field settings (setting name → reference), unset ones left out. */
  fieldSettings(mapping: JiraConfig['streams'][N]): Record<string, string | undefined>;
  /** The record, or null when the issue is not evidence of this kind (logged, and visible as total > records). */
  record(facts: IssueFacts, mapping: JiraConfig['streams'][N], field: (setting: string) => Mapped | undefined): RecordInput<K> | null;
}

export async function collectIssues<N extends StreamName, K extends RecordKind>(ctx: StreamContext<JiraConfig>, stream: IssueStream<N, K>): Promise<void> {
  if (ctx.range === null) throw new Error(`${stream.name} is an event stream and needs a collection range`);
  const mapping = ctx.config.streams[stream.name];
  const { client, myself } = await JiraClient.connect(ctx);
  const siteFields = await client.fields();
  const references = Object.entries(stream.fieldSettings(mapping)).flatMap(([name, ref]) => (ref === undefined ? [] : [{ setting: `streams.${stream.name}.${name}`, ref }]));
  const resolved = resolveMapping(siteFields.value, references, siteUrl(ctx.config));
  const field = (name: string): Mapped | undefined => {
    const setting = `streams.${stream.name}.${name}`;
    const found = resolved.get(setting);
    return found ? { setting, field: found } : undefined;
  };

  const filter = rangedJql(mapping.jql, ctx.range, myself.timeZone);
  ctx.reportTotal((await client.count(filter)).value.count);
  const fields = [...new Set([...BASE_FIELD_IDS, ...[...resolved.values()].map((found) => found.id)])].sort();
  const seen = new Set<string>();
  let skipped = 0;
  for await (const page of searchPages(client, `${filter} ${SEARCH_ORDER}`, fields)) {
    for (const issue of page.value.issues) {
      if (seen.has(issue.id)) continue;
      seen.add(issue.id);
      const changelog = await fullChangelog(client, issue);
      const facts: IssueFacts = {
        key: issue.key,
        url: issueUrl(ctx.config, issue.key),
        link: (key) => issueUrl(ctx.config, key),
        base: parseResponse(`POST /rest/api/3/search/jql (issue ${issue.key})`, BaseFields, issue.fields),
        fields: issue.fields,
        histories: changelog.histories,
        sources: [page.source, ...changelog.sources, siteFields.source],
      };
      const record = stream.record(facts, mapping, field);
      if (record === null) {
        skipped++;
        ctx.log.warn(`${issue.key} matches the ${stream.name} JQL but is not evidence of this kind; see the mapping`, { issue: issue.key });
      } else await ctx.emit(record);
    }
  }
  if (skipped > 0) ctx.log.warn(`${skipped} issue(s) of ${stream.name} were left out`, { skipped });
}

/** Every page of the enhanced search; a token seen twice is an error rather than an endless loop. */
async function* searchPages(client: JiraClient, jql: string, fields: string[]): AsyncGenerator<Sourced<SearchPage>> {
  const tokens = new Set<string>();
  let nextPageToken: string | undefined;
  do {
    const page = await client.search({ jql, fields, ...(nextPageToken === undefined ? {} : { nextPageToken }) });
    yield page;
    nextPageToken = page.value.isLast === true ? undefined : (page.value.nextPageToken ?? undefined);
    if (nextPageToken !== undefined && tokens.has(nextPageToken)) throw new Error(`the search for ${jql} returned the page token ${nextPageToken} twice`);
    if (nextPageToken !== undefined) tokens.add(nextPageToken);
  } while (nextPageToken !== undefined);
}

/**
 * The issue's whole changelog. The search embeds only the most recent entries
 * (`total` says how many exist); when some are missing, the changelog endpoint
 * is read from the start instead, because the oldest entries (the approval)
 * are the ones an audit needs.
 */
async function fullChangelog(client: JiraClient, issue: Issue): Promise<{ histories: History[]; sources: string[] }> {
  const embedded = issue.changelog;
  if (embedded.total <= embedded.histories.length) return { histories: embedded.histories, sources: [] };
  const histories = new Map<string, History>();
  const sources: string[] = [];
  let startAt = 0;
  for (;;) {
    const page = await client.changelog(issue.key, startAt);
    for (const history of page.value.values) histories.set(history.id, history);
    sources.push(page.source);
    startAt = page.value.startAt + page.value.values.length;
    if (page.value.isLast === true || page.value.values.length === 0 || startAt >= page.value.total) break;
  }
  return { histories: [...histories.values()], sources };
}
