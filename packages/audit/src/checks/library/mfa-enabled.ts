/**
 * Every active account in every connected system had MFA on, in every
 * inventory during the period. Where a system reports MFA as unknown, the
 * account is not assessable (never a pass). Account types to which MFA does
 * not apply (bots, service accounts) are listed as not assessable too.
 */
import { z } from 'zod';
import type { RecordData } from '@evidentia/evidence';
import { defineCheck } from '../define.js';
import { observedSpan, when } from './inventory-text.js';

type Account = RecordData<'access.account'>;

const Settings = z
  .object({
    exemptAccountTypes: z.array(z.string()).default(['bot', 'service']).describe('account types MFA does not apply to'),
  })
  .strict();

export const ACTIVE_STATUSES: readonly string[] = ['active', 'invited'];

export default defineCheck({
  id: 'mfa-enabled',
  title: 'MFA on for every active account',
  description:
    'In every account inventory in effect during the period, each active account must have multi-factor authentication enabled. An account whose system reports MFA as unknown is not assessable, not a pass; bots and service accounts are listed as not assessable.',
  criteria: ['CC6.1'],
  reads: ['access.account'],
  settings: Settings,
  async *evaluate({ evidence, settings }) {
    for await (const item of evidence.items('access.account')) {
      const active = item.seen.filter(({ record }) => ACTIVE_STATUSES.includes((record.data as Account).status));
      if (active.length === 0) continue;
      const latest = active.at(-1)!.record.data as Account;
      const records = [...new Set(active.map(({ record }) => record.hash))];
      const base = { item: `${latest.accountId}${latest.email ? ` <${latest.email}>` : ''}`, system: item.system, records };
      if (settings.exemptAccountTypes.includes(latest.accountType)) {
        yield { ...base, status: 'not-assessable', reason: `${latest.accountType} account: MFA does not apply (setting exemptAccountTypes)` };
        continue;
      }
      const disabled = active.filter(({ record }) => (record.data as Account).mfa === 'disabled').map(({ at }) => at);
      const unknown = active.filter(({ record }) => (record.data as Account).mfa === 'unknown').map(({ at }) => at);
      if (disabled.length > 0) yield { ...base, status: 'exception', reason: `active with MFA disabled ${when(disabled, active.length)}` };
      else if (unknown.length > 0) yield { ...base, status: 'not-assessable', reason: `the system did not report MFA ${when(unknown, active.length)}` };
      else yield { ...base, status: 'pass', reason: `MFA enabled ${observedSpan(active.map(({ at }) => at))}` };
    }
  },
});
