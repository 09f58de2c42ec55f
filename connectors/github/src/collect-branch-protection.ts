/**
 * The `branch_protection` stream: for every active repository of the org (not
 * archived, within the configured include/exclude patterns), the protection
 * of its default branch from classic branch protection and from the rulesets
 * that apply to it, one change.config record per repository. Each default
 * branch is read first; its classic protection only when it reports one.
 */
import type { StreamContext } from '@evidentia/sdk';
import { errorMessage, GitHubClient, isHttpError, isRateLimited } from './client.js';
import { repositoryFilter, type GitHubConfig } from './config.js';
import { branchProtectionRecord } from './normalize.js';
import { Branch, BranchProtection, BranchRule, Repository } from './schema.js';

/** GitHub's answers that mean "no classic protection here", as opposed to "you may not look". */
const NOT_PROTECTED = [/^Branch not protected$/i, /^Branch not found$/i, /^Upgrade to GitHub Pro/i];

export async function collectBranchProtection(ctx: StreamContext<GitHubConfig>): Promise<void> {
  const client = await GitHubClient.connect(ctx);
  const wanted = repositoryFilter(ctx.config);
  const repos: Array<{ repo: Repository; source: string }> = [];
  const skipped = { archived: [] as string[], excluded: [] as string[] };

  for await (const page of client.pages('GET /orgs/{org}/repos', { org: ctx.config.org, type: 'all', per_page: 100 }, Repository, (r) => r.full_name)) {
    for (const repo of page.items) {
      if (repo.archived || repo.disabled) skipped.archived.push(repo.name);
      else if (!wanted(repo.name)) skipped.excluded.push(repo.name);
      else repos.push({ repo, source: page.source });
    }
  }
  if (skipped.archived.length > 0) ctx.log.info('skipping archived or disabled repositories', { count: skipped.archived.length, repositories: skipped.archived });
  if (skipped.excluded.length > 0) ctx.log.info('skipping repositories excluded by the repositories filter', { count: skipped.excluded.length });
  ctx.reportTotal(repos.length);

  for (const { repo, source } of repos) {
    const params = { owner: repo.owner.login, repo: repo.name, branch: repo.default_branch };
    // The branch (a 200 with an ETag, so free to revalidate) says whether classic protection exists; reading
    // protection only then avoids a 404 per unprotected branch, which no conditional request can make free.
    const branch = await client.get('GET /repos/{owner}/{repo}/branches/{branch}', params, Branch);
    const classic = branch.value.protected ? await classicProtection(client, params) : { protection: null, source: branch.source };
    const rules: BranchRule[] = [];
    const sources = [...new Set([source, branch.source, classic.source])];
    for await (const page of client.pages('GET /repos/{owner}/{repo}/rules/branches/{branch}', { ...params, per_page: 100 }, BranchRule, ruleKey)) {
      rules.push(...page.items);
      sources.push(page.source);
    }
    await ctx.emit(branchProtectionRecord(repo, classic.protection, rules, sources));
  }
}

/** Rules have no id of their own; a rule is identified by its ruleset and type. */
function ruleKey(rule: BranchRule): string {
  return `${rule.ruleset_id ?? '?'}/${rule.type}/${JSON.stringify(rule.parameters ?? null)}`;
}

/**
 * Classic branch protection, or null when GitHub says the branch has none.
 * That "not protected" answer is itself evidence, so it is kept as a snapshot.
 * Any other 403/404 means the token may not read protection (it needs admin
 * rights on the repository) and fails the stream rather than reporting an
 * unprotected branch that may well be protected.
 */
async function classicProtection(client: GitHubClient, params: Record<string, string>): Promise<{ protection: BranchProtection | null; source: string }> {
  try {
    const { value, source } = await client.get('GET /repos/{owner}/{repo}/branches/{branch}/protection', params, BranchProtection);
    return { protection: value, source };
  } catch (error) {
    if (!isHttpError(error) || (error.status !== 403 && error.status !== 404) || isRateLimited(error)) throw error;
    if (!NOT_PROTECTED.some((pattern) => pattern.test(errorMessage(error)))) {
      const where = `${params.owner}/${params.repo}@${params.branch}`;
      throw new Error(`cannot read branch protection of ${where}: HTTP ${error.status} ${errorMessage(error)} (the token needs admin rights on the repository; fine-grained: Administration read)`);
    }
    return { protection: null, source: await client.keepErrorResponse(error) };
  }
}
