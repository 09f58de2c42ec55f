/**
 * The iam_users stream's completeness check. The credential report and
 * GetAccountAuthorizationDetails are two APIs read at two moments: the report
 * is generated at its `GeneratedTime` (and AWS reuses one for up to four
 * hours), the listing is read afterwards. Its rows (each user and the root
 * account) are the total the source reports independently of the listing;
 * every user on one side only, or whose row is of an earlier user of the same
 * name, is named as an in-scope item gap with what the times say about it, so
 * the stream ends partial with a precise reason rather than complete, even
 * when additions and deletions cancel out in the count.
 */
import type { StreamContext } from '@evidentia/sdk';
import type { AwsAccount } from './client.js';
import { ROOT_ROW_USER, type ReportEntry } from './credential-report.js';

export interface CredentialReport {
  rows: Map<string, ReportEntry>;
  /** When AWS generated the report, if it said. */
  generatedAt: Date | null;
  source: string;
}

/** The account a record of the stream belongs to: its user ARN's account field, or `<account>:root`. */
function accountOfKey(key: string): string {
  return key.startsWith('arn:') ? (key.split(':')[4] ?? '') : key.slice(0, key.indexOf(':'));
}

/** Report the credential report's rows as the account's total: the SDK compares them with the records emitted for the account. */
export function reportRowsAsTotal<C>(ctx: StreamContext<C>, account: AwsAccount, report: CredentialReport): void {
  ctx.reportTotal(report.rows.size, {
    what: `IAM users and root account of ${account.alias} (the rows of the credential report generated ${generated(report)})`,
    counts: (record) => accountOfKey(record.key) === account.accountId,
  });
}

const generated = (report: CredentialReport) => report.generatedAt?.toISOString() ?? 'at a time AWS did not give';

const second = (time: string | Date) => Math.floor(new Date(time).getTime() / 1000);

/**
 * The report's row of a listed user. A user deleted and created again under
 * the same name keeps its ARN, so the report (which AWS reuses for up to
 * four hours) can hold the former user's row under the listed ARN: that
 * row's password, MFA and keys are not the listed user's. When the two
 * creation times differ, the row is not used and the user is named as an
 * in-scope item gap, as a user created after the report is.
 */
export function reportRowOf<C>(ctx: StreamContext<C>, report: CredentialReport, user: { Arn: string; CreateDate: Date }): ReportEntry | undefined {
  const row = report.rows.get(user.Arn);
  if (row === undefined || row.createdAt === null || Number.isNaN(Date.parse(row.createdAt)) || second(row.createdAt) === second(user.CreateDate)) return row;
  const reason = `created ${user.CreateDate.toISOString()}, while the credential report generated ${generated(report)} has the row of a user of that name created ${row.createdAt} (deleted and created again since): its password, MFA and access keys are unknown until a report generated after it`;
  ctx.itemGap({ item: `IAM user ${user.Arn}`, reason, inScope: true });
  return undefined;
}

/** Name every user that only one of the two sources has, and a report without the root account's row. */
export function crossCheck<C>(ctx: StreamContext<C>, account: AwsAccount, report: CredentialReport, listed: ReadonlyMap<string, Date>): void {
  const at = generated(report);
  for (const [arn, createdAt] of listed) {
    if (report.rows.has(arn)) continue;
    const after = report.generatedAt !== null && createdAt.getTime() >= report.generatedAt.getTime();
    const reason = after
      ? `created ${createdAt.toISOString()}, after the credential report was generated (${at}): its password, MFA and access keys are unknown until a report generated after it`
      : `created ${createdAt.toISOString()}, before the credential report was generated (${at}), yet missing from it while GetAccountAuthorizationDetails lists it`;
    ctx.itemGap({ item: `IAM user ${arn}`, reason, inScope: true });
  }
  for (const row of report.rows.values()) {
    if (row.user === ROOT_ROW_USER || listed.has(row.arn)) continue;
    const reason = `in the credential report generated ${at} but not listed by GetAccountAuthorizationDetails (deleted since the report, or the listing is incomplete)`;
    ctx.itemGap({ item: `IAM user ${row.arn}`, reason, inScope: true });
  }
  if (![...report.rows.values()].some((row) => row.user === ROOT_ROW_USER)) {
    ctx.itemGap({ item: `root account of ${account.alias} (${account.accountId})`, reason: `the credential report generated ${at} has no root account row`, inScope: true });
  }
}
