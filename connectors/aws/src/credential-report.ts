/**
 * The IAM credential report, read: the CSV the report's `Content` holds (the
 * SDK has already decoded the base64) turned into one typed row per user and
 * one for the root account. AWS writes `N/A`, `no_information` and
 * `not_supported` where there is no value; those become null.
 */
import { z } from 'zod';
import { csvObjects } from './csv.js';
import { parseResponse } from './schema.js';

/** The user column of the root account's row. */
export const ROOT_ROW_USER = '<root_account>';

const NO_VALUE = new Set(['N/A', 'no_information', 'not_supported', '']);
const time = z.string().transform((value, issue) => {
  if (NO_VALUE.has(value)) return null;
  const parsed = Date.parse(value);
  if (Number.isNaN(parsed)) {
    issue.addIssue({ code: 'custom', message: `not a timestamp: ${JSON.stringify(value)}` });
    return z.NEVER;
  }
  return new Date(parsed).toISOString();
});
const flag = z.enum(['true', 'false', 'not_supported', 'N/A']).transform((value) => value === 'true');

const ReportRow = z.object({
  user: z.string(),
  arn: z.string(),
  user_creation_time: time,
  password_enabled: flag,
  password_last_used: time,
  password_last_changed: time,
  mfa_active: flag,
  access_key_1_active: flag,
  access_key_1_last_rotated: time,
  access_key_1_last_used_date: time,
  access_key_2_active: flag,
  access_key_2_last_rotated: time,
  access_key_2_last_used_date: time,
});

export interface AccessKeyFacts {
  /** `access_key_1` or `access_key_2`: the report names slots, not key ids. */
  slot: 'access_key_1' | 'access_key_2';
  active: boolean;
  lastRotated: string | null;
  lastUsed: string | null;
  /** The last four characters of the key's ID, from ListAccessKeys (the report has no IDs); absent when unmatched. */
  lastFour?: string;
}

export interface ReportEntry {
  user: string;
  arn: string;
  createdAt: string | null;
  passwordEnabled: boolean;
  passwordLastUsed: string | null;
  passwordLastChanged: string | null;
  mfaActive: boolean;
  /** The key slots that hold a key (a slot never rotated holds none). */
  accessKeys: AccessKeyFacts[];
}

/** Rows of the report by ARN (the root account's row included). */
export function parseCredentialReport(content: Uint8Array): Map<string, ReportEntry> {
  const text = new TextDecoder('utf-8', { fatal: true }).decode(content);
  const rows = parseResponse('the credential report', z.array(ReportRow), csvObjects(text));
  const entries = new Map<string, ReportEntry>();
  for (const row of rows) {
    const accessKeys: AccessKeyFacts[] = [];
    for (const slot of ['access_key_1', 'access_key_2'] as const) {
      const active = row[`${slot}_active`];
      const lastRotated = row[`${slot}_last_rotated`];
      if (active || lastRotated !== null) accessKeys.push({ slot, active, lastRotated, lastUsed: row[`${slot}_last_used_date`] });
    }
    entries.set(row.arn, {
      user: row.user,
      arn: row.arn,
      createdAt: row.user_creation_time,
      passwordEnabled: row.password_enabled,
      passwordLastUsed: row.password_last_used,
      passwordLastChanged: row.password_last_changed,
      mfaActive: row.mfa_active,
      accessKeys,
    });
  }
  return entries;
}
