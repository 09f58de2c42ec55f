/**
 * The `branch_protection` stream: for every repository of the org within the
 * configured include/exclude patterns, the protection of its default branch
 * from classic branch protection and from the rulesets that apply to it, one
 * change.config record per repository. Protection is read for many
 * repositories per GraphQL query (protection-graphql.ts), the first batch
 * with the organization's counts in one overview (overviews.ts); a repository
 * GraphQL does not show reliably is read over REST, one repository at a time. An archived (or disabled) repository
 * is read-only: its record says so instead of holding protection, which is
 * not read, so the population stays complete and the check can exclude it
 * by rule. Each default
 * branch is read first; its classic protection only when it reports one. A
 * repository whose protection the credential may not read is a named item
 * gap, not a failed stream, and never a record saying "unprotected".
 */
import type { StreamContext } from '@evidentia/sdk';
import { errorMessage, GitHubClient, isHttpError, isRateLimited, type HttpError } from './client.js';
import { repositoryFilter, repositoryInScope, type GitHubConfig } from './config.js';
import { branchProtectionRecord, readOnlyRepositoryRecord } from './normalize.js';
import { organizationTotals } from './organization-totals.js';
import { protectionOverview } from './overviews.js';
import { protectionBatches } from './protection-graphql.js';
import { listRepositories, relistIfShort } from './repository-batches.js';
import { Branch, BranchProtection, BranchRule, type Repository } from './schema.js';

/** GitHub's answers that mean "no classic protection here", as opposed to "you may not look". */
const NOT_PROTECTED = [/^Branch not protected$/i, /^Upgrade to GitHub Pro/i];
/** GitHub's answer for a branch that does not exist: the default branch the listing named was renamed or deleted since. */
const BRANCH_GONE = /^Branch not found$/i;

/** A 403/404 that says the credential may not read a repository's protection (not a rate limit, not "not protected"). */
class ProtectionDenied extends Error {
  override name = 'ProtectionDenied';
}

/** The default branch went away (renamed or deleted) after the run read it: the repository is unread, not unprotected. */
class BranchGone extends Error {
  override name = 'BranchGone';
}

export async function collectBranchProtection(ctx: StreamContext<GitHubConfig>): Promise<void> {
  const client = await GitHubClient.connect(ctx);
  const wanted = repositoryFilter(ctx.config);
  const inScope = repositoryInScope(ctx.config);
  const listing = await listRepositories(client, ctx.config.org);
  const active = listing.map(({ value }) => value).filter((repo) => wanted(repo.name) && !repo.archived && !repo.disabled);
  // One POST: GitHub's repository count and the protection of the first batch. The count is read after the listing,
  // so a listing shorter than it is listed once more (a repository created meanwhile) before the shortfall stands.
  const overview = await protectionOverview(client, ctx.config.org, active, ctx.config.branchProtectionBatchSize);
  const totals = organizationTotals(overview.totals, ctx.config.org);
  const repos: Array<{ repo: Repository; source: string }> = [];
  const excluded: string[] = [];
  for (const { value: repo, source } of await relistIfShort(client, ctx.config.org, listing, totals.repositories)) {
    if (!wanted(repo.name)) excluded.push(repo.name);
    else if (repo.archived || repo.disabled) await ctx.emit(readOnlyRepositoryRecord(repo, source));
    else repos.push({ repo, source });
  }
  if (excluded.length > 0) ctx.log.info('skipping repositories excluded by the repositories filter', { count: excluded.length });

  const listingSource = new Map(repos.map(({ repo, source }) => [repo.full_name, source]));
  const viaRest: Array<{ repo: Repository; reason: string }> = [];
  for await (const batch of protectionBatches(client, repos.map(({ repo }) => repo), ctx.config.branchProtectionBatchSize, overview.protection)) {
    for (const { repo, answer } of batch) {
      if ('fallback' in answer) viaRest.push({ repo, reason: answer.fallback });
      else await ctx.emit(branchProtectionRecord(repo, answer.classic, answer.rules, [listingSource.get(repo.full_name)!, answer.source]));
    }
  }
  let denied = 0;
  for (const { repo, reason } of viaRest) {
    // The REST snapshots the record then rests on say how it was read; the log says why.
    ctx.log.info('reading branch protection over REST', { repository: repo.full_name, because: reason });
    try {
      await ctx.emit(await protectionRecord(ctx, client, repo, listingSource.get(repo.full_name)!));
    } catch (error) {
      if (!(error instanceof ProtectionDenied) && !(error instanceof BranchGone)) throw error;
      denied++;
      // A denial is in scope as the configuration says; a branch that moved while read is unread whatever the scope.
      ctx.itemGap({ item: `repository ${repo.full_name}`, reason: error.message, inScope: error instanceof BranchGone || inScope(repo.name) });
    }
  }
  if (viaRest.length > 0) ctx.log.info('branch protection read over REST where GraphQL did not show it', { repositories: viaRest.length, ofActive: repos.length });
  client.logThrottling();
  // GitHub's own count of repositories, as GitHub reports it: the excluded and denied ones (each named above)
  // were received but are not kept as records, so the records must account for every other one, and a listing that
  // stopped early shows as a shortfall.
  const notKept = excluded.length + denied;
  if (notKept > totals.repositories) ctx.log.warn('the repository listing holds more repositories than GitHub counts (repositories created while listing)', { counted: totals.repositories });
  ctx.reportTotal(totals.repositories, { what: 'repositories (repositories.totalCount; excluded and denied ones are received but not kept)', excluded: () => notKept });
}

async function protectionRecord(ctx: StreamContext<GitHubConfig>, client: GitHubClient, repo: Repository, listingSource: string) {
  const params = { owner: repo.owner.login, repo: repo.name, branch: repo.default_branch };
  const where = `${repo.full_name}@${repo.default_branch}`;
  // The branch (a 200 with an ETag, so free to revalidate) says whether classic protection exists; reading
  // protection only then avoids a 404 per unprotected branch, which no conditional request can make free.
  const branch = await denialNamed(where, 'branch', () => client.get('GET /repos/{owner}/{repo}/branches/{branch}', params, Branch));
  const classic = branch.value.protected ? await classicProtection(client, params, where) : { protection: null, source: branch.source };
  const sources = [...new Set([listingSource, branch.source, classic.source])];
  // Every rules page is a source, an empty one too: it is the evidence that no ruleset applies.
  const rules = await denialNamed(where, 'rules', () =>
    ctx.sourcesOf(async () => {
      const found: BranchRule[] = [];
      for await (const { value } of client.list('GET /repos/{owner}/{repo}/rules/branches/{branch}', { ...params, per_page: 100 }, BranchRule, ruleKey)) found.push(value);
      return found;
    }),
  );
  for (const source of rules.sources) if (!sources.includes(source)) sources.push(source);
  return branchProtectionRecord(repo, classic.protection, rules.value, sources);
}

/** Rules have no id of their own; a rule is identified by its ruleset and type. */
function ruleKey(rule: BranchRule): string {
  return `${rule.ruleset_id ?? '?'}/${rule.type}/${JSON.stringify(rule.parameters ?? null)}`;
}

function isDenial(error: unknown): error is HttpError {
  return isHttpError(error) && (error.status === 403 || error.status === 404) && !isRateLimited(error);
}

/** A denial as ProtectionDenied (a branch gone as BranchGone) naming what could not be read; any other error unchanged. */
function named(where: string, what: string, error: unknown): unknown {
  if (!isDenial(error)) return error;
  if (error.status === 404 && BRANCH_GONE.test(errorMessage(error))) {
    // Before the branch was read it may never have existed (an empty repository has no branch): a gap as a denial is, in scope as the configuration says.
    if (what === 'branch') return new ProtectionDenied(`HTTP 404 ${errorMessage(error)} on the branch of ${where}: no such branch (an empty repository has none; or it was renamed or deleted while the run read it)`);
    return new BranchGone(`HTTP 404 ${errorMessage(error)} on the ${what} of ${where}: the default branch was renamed or deleted while the run read it; the next run reads the new default branch`);
  }
  return new ProtectionDenied(`HTTP ${error.status} ${errorMessage(error)} on the ${what} of ${where} (the token needs admin rights on the repository; fine-grained: Administration read)`);
}

/** Run a read of one repository; a denial becomes ProtectionDenied. */
async function denialNamed<T>(where: string, what: string, read: () => Promise<T>): Promise<T> {
  try {
    return await read();
  } catch (error) {
    throw named(where, what, error);
  }
}

/**
 * Classic branch protection, or null when GitHub says the branch has none.
 * That "not protected" answer is itself evidence, so it is kept as a snapshot.
 * "Branch not found" means the branch went away after it was read (BranchGone);
 * any other 403/404 means the token may not read protection (it needs admin
 * rights on the repository): a denial, never an unprotected branch.
 */
async function classicProtection(client: GitHubClient, params: Record<string, string>, where: string): Promise<{ protection: BranchProtection | null; source: string }> {
  try {
    const { value, source } = await client.get('GET /repos/{owner}/{repo}/branches/{branch}/protection', params, BranchProtection);
    return { protection: value, source };
  } catch (error) {
    if (isDenial(error) && NOT_PROTECTED.some((pattern) => pattern.test(errorMessage(error)))) return { protection: null, source: await client.keepErrorResponse(error) };
    throw named(where, 'classic protection', error);
  }
}
