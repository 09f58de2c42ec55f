/**
 * The `iam_users` stream: every IAM user and the root account of each
 * configured account, one access.account record each (CC6.1–CC6.3). The
 * credential report supplies password, MFA and access-key facts;
 * GetAccountAuthorizationDetails supplies groups, policies (inline documents
 * included) and so privilege, in pages of 1,000, instead of several reads per
 * user; ListAccessKeys, only for users whose report row holds a key that
 * no response stored before names, the last four characters of each key's ID
 * (access-key-ids.ts). The customer-managed
 * policies and the groups are listed first; users are then judged and emitted one page at a time, so memory follows the page
 * size, not the population. The credential report's rows are the total the
 * records are checked against (report-cross-check.ts).
 */
import type { StreamContext } from '@evidentia/sdk';
import * as api from './api.js';
import { AwsAccount } from './client.js';
import type { AwsConfig } from './config.js';
import { awsErrorCode } from './errors.js';
import { addKeyLastFour, type OtherResponses } from './access-key-ids.js';
import { parseCredentialReport, ROOT_ROW_USER } from './credential-report.js';
import { GroupDirectory, PolicyDirectory, userAccess } from './iam-access.js';
import { IdentityCenter } from './identity-center.js';
import { iamUserRecord, rootRecord } from './normalize.js';
import { crossCheck, reportRowOf, reportRowsAsTotal, type CredentialReport } from './report-cross-check.js';

/** GenerateCredentialReport polls before giving up, and the waits between them (doubling, capped). */
const REPORT_POLLS = 10;
const REPORT_FIRST_WAIT_MS = 2_000;
const REPORT_MAX_WAIT_MS = 15_000;

export async function collectIamUsers(ctx: StreamContext<AwsConfig>): Promise<void> {
  let center: IdentityCenter | null | undefined;
  for (const config of ctx.config.accounts) {
    const account = await AwsAccount.connect(ctx, ctx.config, config);
    // The identity store is the organization's: read once, through the first account.
    center ??= await IdentityCenter.read(ctx, account);
    await collectAccount(ctx, account, center);
  }
  for (const record of center?.records() ?? []) await ctx.emit(record);
}

/** Ask for a fresh report and wait politely until AWS has it (AWS reuses a report for four hours). */
async function credentialReport(ctx: StreamContext<AwsConfig>, account: AwsAccount): Promise<CredentialReport> {
  for (let poll = 1; ; poll++) {
    const { value } = await api.generateCredentialReport(account);
    if (value.State === 'COMPLETE') break;
    if (poll >= REPORT_POLLS) throw new Error(`the IAM credential report of ${account.alias} was still ${value.State} after ${poll} polls`);
    await ctx.sleep(Math.min(REPORT_MAX_WAIT_MS, REPORT_FIRST_WAIT_MS * 2 ** (poll - 1)));
  }
  const report = await api.getCredentialReport(account);
  const generatedAt = report.value.GeneratedTime ?? null;
  if (generatedAt) ctx.log.info('IAM credential report', { account: account.alias, generatedAt: generatedAt.toISOString() });
  return { rows: parseCredentialReport(report.value.Content), generatedAt, source: report.source };
}

async function collectAccount(ctx: StreamContext<AwsConfig>, account: AwsAccount, center: IdentityCenter | null): Promise<void> {
  const report = await credentialReport(ctx, account);
  reportRowsAsTotal(ctx, account, report);
  const policies = new PolicyDirectory(account);
  await policies.read();
  const groups = new GroupDirectory(account, policies);
  await groups.read();
  /** Responses read back while looking for users' earlier key listings that are not one (access-key-ids.ts). */
  const others: OtherResponses = new Set();
  /** Each listed user's creation time, by ARN, for the cross-check with the report. */
  const listed = new Map<string, Date>();
  for await (const { item: user, source } of api.listUsers(account)) {
    // A group created since the groups were listed: list them again (a group still missing then fails the stream).
    if (!groups.knows(user)) await groups.read();
    listed.set(user.Arn, user.CreateDate);
    // A row of an earlier user of the same name (deleted and created again since the report) is no row of this user.
    const row = reportRowOf(ctx, report, user);
    // Judged first: a user whose access cannot be judged fails the stream before a request is spent on its keys.
    const access = userAccess(user, groups, policies);
    const keys = await addKeyLastFour(ctx, account, user, row, others).catch((error: unknown) => {
      // Deleted between its listing page and this request: the report's facts still stand, the keys' last four are unknown.
      if (awsErrorCode(error) !== 'NoSuchEntity') throw error;
      const reason = 'iam:ListAccessKeys answered NoSuchEntity (deleted after GetAccountAuthorizationDetails listed it): recorded from the credential report, without its access keys\' last four characters';
      ctx.itemGap({ item: `IAM user ${user.Arn}`, reason, inScope: true });
      return null;
    });
    const record = iamUserRecord(user, row, access, [source, report.source, ...(keys ? [keys] : [])], ctx.config);
    await ctx.emit(center ? center.traced(record) : record);
  }
  const root = [...report.rows.values()].find((row) => row.user === ROOT_ROW_USER);
  if (root) await ctx.emit(rootRecord(account.accountId, root, report.source));
  crossCheck(ctx, account, report, listed);
  ctx.log.info('IAM users collected', { account: account.alias, users: listed.size, groups: groups.size, customerManagedPolicies: policies.size });
}
