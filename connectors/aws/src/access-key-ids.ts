/**
 * The last four characters of each access key of a user, joined to the
 * credential report's key slots: the report names slots (`access_key_1`,
 * `access_key_2`) and never key IDs, so ListAccessKeys is asked for the users
 * whose report row holds a key (users without keys cost no request), and a
 * key is matched to the slot created in the same second (the report's
 * `last_rotated` is the key's creation time). A key that matches no slot, or
 * two, leaves the slot without its last four rather than guessing. Only the
 * last four leave this module; the full IDs stay in the response snapshot.
 */
import * as api from './api.js';
import type { AwsAccount } from './client.js';
import type { ReportEntry } from './credential-report.js';

const second = (time: Date | string | null | undefined) => (time ? Math.floor(new Date(time).getTime() / 1000) : null);

/** Fill `lastFour` on the row's key slots; returns the snapshot of the answer, or null when the user has no key. */
export async function addKeyLastFour(account: AwsAccount, userName: string, row: ReportEntry | undefined): Promise<string | null> {
  if (!row || row.accessKeys.length === 0) return null;
  const { value, source } = await api.listAccessKeys(account, userName);
  for (const slot of row.accessKeys) {
    const created = second(slot.lastRotated);
    const matches = value.AccessKeyMetadata.filter((key) => created !== null && second(key.CreateDate) === created);
    // A single key and a single slot belong together even without a creation time to compare.
    const only = value.AccessKeyMetadata.length === 1 && row.accessKeys.length === 1 ? value.AccessKeyMetadata : [];
    const key = matches.length === 1 ? matches[0] : only[0];
    if (key) slot.lastFour = key.AccessKeyId.slice(-4);
  }
  return source;
}
