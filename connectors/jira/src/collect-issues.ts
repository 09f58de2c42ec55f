/**
 * What the three streams share: connect and record the identity, resolve the
 * mapped fields against the site (a missing one fails the stream before any
 * search), bound the stream's JQL by the collection range in the account's
 * time zone, ask Jira for its count of matching issues (the enhanced search
 * reports no total) and report it as the stream's total, then page through
 * the enhanced search (read-issues.ts), completing any truncated changelog,
 * and emit one record per issue. The count is compared with the issues
 * received, not the records: an issue the mapping says is not evidence of
 * this kind was still received. Pages are handled one at a time, so memory
 * stays bounded whatever the population.
 */
import type { RecordKind } from '@evidentia/evidence';
import type { RecordInput, StreamContext } from '@evidentia/sdk';
import { JiraApiError, JiraClient } from './client.js';
import { issueUrl, siteUrl, type JiraConfig } from './config.js';
import { resolveMapping } from './fields.js';
import type { IssueFacts, Mapped } from './issue-facts.js';
import { rangedJql, SEARCH_ORDER } from './jql.js';
import { fullChangelog, searchIssues, ShortChangelog } from './read-issues.js';
import { BASE_FIELD_IDS, BaseFields, parseResponse } from './schema.js';

export type StreamName = keyof JiraConfig['streams'];

/** One issue stream: which mapping settings name fields, and how an issue becomes a record. */
export interface IssueStream<N extends StreamName, K extends RecordKind> {
  name: N;
  /** Fields the stream reads besides the base ones and its mapped ones (by id). */
  extraFields?: readonly string[];
  /** Whether to read each issue's remote links (a request per issue). */
  remoteLinks?(mapping: JiraConfig['streams'][N]): boolean;
  /** The mapping's field settings (setting name → reference), unset ones left out. */
  fieldSettings(mapping: JiraConfig['streams'][N]): Record<string, string | undefined>;
  /** The record, or null when the issue is not evidence of this kind (logged; it still counts as received against Jira's count). */
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
  // Jira's count is asked before the listing, so an issue lost by a page shift leaves the listing short of it.
  const count = (await client.count(filter)).value.count;
  let excluded = 0;
  ctx.reportTotal(count, { what: `issues matching the ${stream.name} JQL`, excluded: () => excluded });
  const fields = [...new Set([...BASE_FIELD_IDS, ...(stream.extraFields ?? []), ...[...resolved.values()].map((found) => found.id)])].sort();
  for await (const { issue, source } of searchIssues(client, `${filter} ${SEARCH_ORDER}`, fields)) {
    const changelog = await fullChangelog(client, issue).catch((error: unknown) => unreadIssue(ctx, issue.key, 'its changelog', error));
    if (changelog === null) continue;
    const links = stream.remoteLinks?.(mapping) ? await client.remoteLinks(issue.key).catch((error: unknown) => unreadIssue(ctx, issue.key, 'its remote links', error)) : undefined;
    if (links === null) continue;
    const facts: IssueFacts = {
      key: issue.key,
      url: issueUrl(ctx.config, issue.key),
      link: (key) => issueUrl(ctx.config, key),
      base: parseResponse(`POST /rest/api/3/search/jql (issue ${issue.key})`, BaseFields, issue.fields),
      fields: issue.fields,
      histories: changelog.histories,
      ...(links ? { remoteLinks: links.value.flatMap((link) => (link.object ? [link.object.url] : [])) } : {}),
      sources: [source, ...changelog.sources, ...(links ? [links.source] : []), siteFields.source],
    };
    const record = stream.record(facts, mapping, field);
    if (record === null) {
      excluded++;
      ctx.log.warn(`${issue.key} matches the ${stream.name} JQL but is not evidence of this kind; see the mapping`, { issue: issue.key });
    } else await ctx.emit(record);
  }
  if (excluded > 0) ctx.log.warn(`${excluded} issue(s) of ${stream.name} were left out`, { excluded });
}

/**
 * An issue the search returned whose follow-up read failed for that issue
 * alone: deleted, moved or hidden between its search page and the request
 * (404), or a changelog that ended short. It is named as an in-scope item gap
 * and not received (null), so the stream is partial; any other error fails it.
 */
function unreadIssue(ctx: StreamContext<JiraConfig>, key: string, what: string, error: unknown): null {
  if (error instanceof ShortChangelog) ctx.itemGap({ item: `issue ${key}`, reason: error.message, inScope: true });
  else if (error instanceof JiraApiError && error.status === 404) {
    ctx.itemGap({ item: `issue ${key}`, reason: `${what} answered 404 (${error.message}); deleted, moved or hidden while the run read it`, inScope: true });
  } else throw error;
  return null;
}
