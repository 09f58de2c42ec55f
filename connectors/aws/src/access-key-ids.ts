/**
 * The last four characters of each access key of a user, joined to the
 * credential report's key slots: the report names slots (`access_key_1`,
 * `access_key_2`) and never key IDs, so ListAccessKeys is asked for the users
 * whose report row holds a key (users without keys cost no request), and a
 * key is matched to the slot created in the same second (the report's
 * `last_rotated` is the key's creation time). A key that matches no slot, or
 * two, leaves the slot without its last four rather than guessing. Only the
 * last four leave this module; the full IDs stay in the response snapshot.
 *
 * A key's ID never changes, and a slot's `last_rotated` changes whenever the
 * slot gets another key. So when every slot of this run's report row joins a
 * key of the ListAccessKeys response an earlier record of the user rests on
 * (read back from the locker, checked against its hash), that response still
 * names the user's keys: it is named again as the record's source and no
 * request is sent. A new, rotated or unmatched key, a slot without a creation
 * time, or an earlier response that cannot be read asks ListAccessKeys again.
 */
import type { StreamContext } from '@evidentia/sdk';
import * as api from './api.js';
import type { AwsAccount } from './client.js';
import type { AccessKeyFacts, ReportEntry } from './credential-report.js';

/** One key as ListAccessKeys lists it: only what joining it to a slot needs. */
export interface ListedKey {
  AccessKeyId: string;
  CreateDate?: Date | string | null;
}

const second = (time: Date | string | null | undefined) => (time ? Math.floor(new Date(time).getTime() / 1000) : null);

/** The key of `keys` that belongs in `slot`, or undefined when none or more than one could. */
function keyOfSlot(slot: AccessKeyFacts, slots: number, keys: readonly ListedKey[]): ListedKey | undefined {
  const created = second(slot.lastRotated);
  const matches = keys.filter((key) => created !== null && second(key.CreateDate) === created);
  if (matches.length === 1) return matches[0];
  // A single key and a single slot belong together even without a creation time to compare.
  return keys.length === 1 && slots === 1 && matches.length === 0 ? keys[0] : undefined;
}

/**
 * The stored responses of one stream run known not to be ListAccessKeys
 * answers (a users page, a credential report: sources every user's record
 * shares), so each is read back once per run, not once per user.
 */
export type OtherResponses = Set<string>;

/** Fill `lastFour` on the row's key slots; returns the snapshot hash of the listing they came from, or null when the user has no key. */
export async function addKeyLastFour(
  ctx: StreamContext<unknown>,
  account: AwsAccount,
  user: { UserName: string; Arn: string },
  row: ReportEntry | undefined,
  others: OtherResponses,
): Promise<string | null> {
  if (!row || row.accessKeys.length === 0) return null;
  const earlier = await earlierListing(ctx, user, row, others);
  if (earlier) {
    for (const slot of row.accessKeys) slot.lastFour = keyOfSlot(slot, row.accessKeys.length, earlier.keys)!.AccessKeyId.slice(-4);
    return earlier.source;
  }
  const { value, source } = await api.listAccessKeys(account, user.UserName);
  for (const slot of row.accessKeys) {
    const key = keyOfSlot(slot, row.accessKeys.length, value.AccessKeyMetadata);
    if (key) slot.lastFour = key.AccessKeyId.slice(-4);
  }
  return source;
}

/**
 * The ListAccessKeys response the user's newest stored record rests on, when
 * it joins a key to every slot of this run's row by creation second (so no
 * slot got a key since); null otherwise.
 */
async function earlierListing(ctx: StreamContext<unknown>, user: { UserName: string; Arn: string }, row: ReportEntry, others: OtherResponses): Promise<{ source: string; keys: ListedKey[] } | null> {
  // Only a slot with a creation time can be shown to hold the same key as before.
  if (row.accessKeys.some((slot) => second(slot.lastRotated) === null)) return null;
  const previous = await ctx.previousRecord('access.account', user.Arn);
  if (!previous) return null;
  for (const source of previous.sources) {
    if (others.has(source)) continue;
    const body = await ctx.storedResponse(source);
    if (!isKeyListing(body)) {
      others.add(source);
      continue;
    }
    const keys = accessKeysOf(body, user.UserName);
    if (!keys) continue;
    const joined = row.accessKeys.every((slot) => second(keyOfSlot(slot, row.accessKeys.length, keys)?.CreateDate) === second(slot.lastRotated));
    return joined ? { source, keys } : null;
  }
  return null;
}

/** Whether a stored body is a ListAccessKeys answer at all (of any user). */
const isKeyListing = (body: unknown): body is string => typeof body === 'string' && /^\s*(<\?xml[^>]*\?>\s*)?<ListAccessKeysResponse[\s>]/.test(body);

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
const text = (xml: string) => xml.trim().replace(/&(amp|lt|gt|quot|apos);/g, (_, name: string) => ENTITIES[name]!);

/**
 * The keys a stored ListAccessKeys answer lists for `userName`, or null when
 * the body is not one (another source of the record), is truncated, or
 * lists a key of another user: read strictly, since anything unexpected only
 * costs a fresh request.
 */
export function accessKeysOf(body: unknown, userName: string): ListedKey[] | null {
  if (!isKeyListing(body)) return null;
  const result = /<ListAccessKeysResult>([\s\S]*)<\/ListAccessKeysResult>/.exec(body)?.[1];
  if (result === undefined || !/<IsTruncated>\s*false\s*<\/IsTruncated>/.test(result)) return null;
  const list = /<AccessKeyMetadata>([\s\S]*?)<\/AccessKeyMetadata>|<AccessKeyMetadata\s*\/>/.exec(result);
  if (!list) return null;
  const members = list[1] ?? '';
  // Anything but members between the tags is a shape this reader does not know.
  if (members.replace(/<member>[\s\S]*?<\/member>/g, '').trim() !== '') return null;
  const keys: ListedKey[] = [];
  const member = /<member>([\s\S]*?)<\/member>/g;
  for (let match = member.exec(members); match; match = member.exec(members)) {
    const field = (name: string) => new RegExp(`<${name}>([^<]*)</${name}>`).exec(match![1]!)?.[1];
    const id = field('AccessKeyId');
    const owner = field('UserName');
    const created = field('CreateDate');
    if (!id || !/^[A-Za-z0-9]{4,}$/.test(text(id)) || owner === undefined || text(owner) !== userName || !created || Number.isNaN(Date.parse(text(created)))) return null;
    keys.push({ AccessKeyId: text(id), CreateDate: text(created) });
  }
  return keys;
}
