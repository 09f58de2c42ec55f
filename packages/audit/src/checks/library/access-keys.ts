/**
 * No active access key was older than the configured age, or went unused for
 * longer than the configured time, in any inventory during the period. Ages
 * are measured at each inventory, not today, so the check gives the same
 * answer whenever it is re-run. A never-used key counts as unused since it
 * was created.
 */
import { z } from 'zod';
import type { RecordData } from '@evidentia/evidence';
import { sourceFrom } from '../approvals.js';
import { defineCheck } from '../define.js';
import { DAY_MS, timeOf } from '../period.js';
import { ACTIVE_STATUSES } from './mfa-enabled.js';
import { observedSpan } from './inventory-text.js';

type Account = RecordData<'access.account'>;

const Settings = z
  .object({
    maxAgeDays: z.number().positive().default(90).describe('oldest an active key may be'),
    maxUnusedDays: z.number().positive().default(90).describe('longest an active key may go unused'),
    credentialTypes: z.array(z.string()).default(['access_key']).describe('credential types judged'),
    keySystems: z.array(z.string()).default(['aws']).describe('system prefixes whose accounts hold the keys judged'),
  })
  .strict();

const days = (ms: number) => Math.floor(ms / DAY_MS);

export default defineCheck({
  id: 'access-keys',
  title: 'Access keys rotated and in use',
  description:
    'In every account inventory in effect during the period, each active access key of an active account must be younger than the maximum age and must have been used within the maximum unused time, both measured at the inventory. A key whose creation date is not reported is not assessable.',
  criteria: ['CC6.1', 'CC6.2'],
  reads: ['access.account'],
  settings: Settings,
  appliesTo: (source, settings) => sourceFrom(source, settings.keySystems),
  async *evaluate({ evidence, settings }) {
    for await (const item of evidence.items('access.account')) {
      const keys = new Map<string, { at: string; record: (typeof item.seen)[number]['record']; credential: Account['credentials'][number] }[]>();
      for (const seen of item.seen) {
        const account = seen.record.data as Account;
        if (!ACTIVE_STATUSES.includes(account.status)) continue;
        for (const credential of account.credentials) {
          if (credential.status !== 'active' || !settings.credentialTypes.includes(credential.type)) continue;
          keys.set(credential.id, [...(keys.get(credential.id) ?? []), { ...seen, credential }]);
        }
      }
      for (const [id, observations] of keys) {
        const account = observations.at(-1)!.record.data as Account;
        // The key's last four tell two keys of one slot apart (after a rotation); the whole ID is never shown.
        const lastFour = observations.at(-1)!.credential.lastFour;
        const base = { item: `${account.accountId} ${id}${lastFour ? ` (…${lastFour})` : ''}`, system: item.system, records: [...new Set(observations.map((o) => o.record.hash))] };
        const problems: string[] = [];
        let unassessable = false;
        for (const { at, credential } of observations) {
          const now = timeOf(at) ?? 0;
          const created = timeOf(credential.createdAt);
          if (created === null) {
            unassessable = true;
            continue;
          }
          const lastUse = timeOf(credential.lastUsedAt) ?? created;
          if (now - created > settings.maxAgeDays * DAY_MS) problems.push(`${days(now - created)} days old at ${at} (created ${credential.createdAt})`);
          else if (now - lastUse > settings.maxUnusedDays * DAY_MS) problems.push(`unused for ${days(now - lastUse)} days at ${at} (last used ${credential.lastUsedAt ?? 'never'})`);
        }
        if (problems.length > 0) yield { ...base, status: 'exception', reason: `active key ${problems[0]}${problems.length > 1 ? ` (and in ${problems.length - 1} later inventories)` : ''}` };
        else if (unassessable) yield { ...base, status: 'not-assessable', reason: 'the system did not report when the key was created' };
        else yield { ...base, status: 'pass', reason: `within ${settings.maxAgeDays} days of age and ${settings.maxUnusedDays} days of use ${observedSpan(observations.map((o) => o.at))}` };
      }
    }
  },
});
