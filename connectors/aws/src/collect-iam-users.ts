/**
 * The `iam_users` stream: every IAM user and the root account of each
 * configured account, one access.account record each (CC6.1–CC6.3). The
 * credential report supplies password, MFA and access-key facts;
 * GetAccountAuthorizationDetails supplies groups, policies (inline documents
 * included) and so privilege, in pages of 1,000, instead of several reads per
 * user. The customer-managed policies and the groups are listed first; users
 * are then judged and emitted one page at a time, so memory follows the page
 * size, not the population.
 */
import type { StreamContext } from '@evidentia/sdk';
import * as api from './api.js';
import { AwsAccount } from './client.js';
import type { AwsConfig } from './config.js';
import { parseCredentialReport, ROOT_ROW_USER, type ReportEntry } from './credential-report.js';
import { GroupDirectory, PolicyDirectory, userAccess } from './iam-access.js';
import { iamUserRecord, rootRecord } from './normalize.js';

/** GenerateCredentialReport polls before giving up, and the waits between them (doubling, capped). */
const REPORT_POLLS = 10;
const REPORT_FIRST_WAIT_MS = 2_000;
const REPORT_MAX_WAIT_MS = 15_000;

export async function collectIamUsers(ctx: StreamContext<AwsConfig>): Promise<void> {
  let total = 0;
  for (const config of ctx.config.accounts) {
    const account = await AwsAccount.connect(ctx, ctx.config, config);
    total += await collectAccount(ctx, account);
  }
  ctx.reportTotal(total);
}

/** Ask for a fresh report and wait politely until AWS has it (AWS reuses a report for four hours). */
async function credentialReport(ctx: StreamContext<AwsConfig>, account: AwsAccount): Promise<{ rows: Map<string, ReportEntry>; source: string }> {
  for (let poll = 1; ; poll++) {
    const { value } = await api.generateCredentialReport(account);
    if (value.State === 'COMPLETE') break;
    if (poll >= REPORT_POLLS) throw new Error(`the IAM credential report of ${account.alias} was still ${value.State} after ${poll} polls`);
    await ctx.sleep(Math.min(REPORT_MAX_WAIT_MS, REPORT_FIRST_WAIT_MS * 2 ** (poll - 1)));
  }
  const report = await api.getCredentialReport(account);
  if (report.value.GeneratedTime) ctx.log.info('IAM credential report', { account: account.alias, generatedAt: report.value.GeneratedTime.toISOString() });
  return { rows: parseCredentialReport(report.value.Content), source: report.source };
}

async function collectAccount(ctx: StreamContext<AwsConfig>, account: AwsAccount): Promise<number> {
  const report = await credentialReport(ctx, account);
  const policies = new PolicyDirectory(account);
  await policies.read();
  const groups = new GroupDirectory(account, policies);
  await groups.read();
  const listed = new Set<string>();
  for await (const page of api.iamPages('iam:GetAccountAuthorizationDetails', (marker) => api.getAuthorizationDetails(account, 'User', marker))) {
    const users = page.value.UserDetailList;
    // A group created since the groups were listed: list them again, once for this page.
    if (!groups.knows(users)) await groups.read();
    for (const user of users) {
      if (listed.has(user.Arn)) continue;
      listed.add(user.Arn);
      await ctx.emit(iamUserRecord(user, report.rows.get(user.Arn), userAccess(user, groups, policies), [page.source, report.source]));
    }
  }
  const root = [...report.rows.values()].find((row) => row.user === ROOT_ROW_USER);
  if (root) await ctx.emit(rootRecord(account.accountId, root, report.source));
  else ctx.log.warn('the credential report has no root account row', { account: account.alias });
  const reportOnly = [...report.rows.values()].filter((row) => row.user !== ROOT_ROW_USER && !listed.has(row.arn)).length;
  if (reportOnly > 0) ctx.log.info('users in the credential report that GetAccountAuthorizationDetails no longer lists (deleted since the report)', { account: account.alias, count: reportOnly });
  ctx.log.info('IAM users collected', { account: account.alias, users: listed.size, groups: groups.size, customerManagedPolicies: policies.size });
  return listed.size + (root ? 1 : 0);
}
