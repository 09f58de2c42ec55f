/**
 * Every active account in every connected system had MFA on, in every
 * inventory during the period. Where a system reports MFA as unknown, the
 * account is not assessable (never a pass). Account types to which MFA does
 * not apply (bots, service accounts) are listed as exempt by the setting
 * (the configuration's judgement, not missing evidence; never a pass either);
 * an account its system says cannot sign in to a console at all
 * (`attributes.consoleAccess: false`, e.g. an IAM user without a password):
 * console MFA is judged only where there is a console sign-in to protect.
 */
import { z } from 'zod';
import type { RecordData } from '@evidentia/evidence';
import { accountItems } from '../account-items.js';
import { defineCheck } from '../define.js';
import { observedSpan, when } from './inventory-text.js';

type Account = RecordData<'access.account'>;

const Settings = z
  .object({
    exemptAccountTypes: z.array(z.string()).default(['bot', 'service']).describe('account types MFA does not apply to'),
  })
  .strict();

/** Why the system classed the account as a service identity, when it said: ` (access keys and no console password)`. */
export function serviceBecause(account: Account): string {
  const because = account.attributes?.serviceBecause;
  return typeof because === 'string' ? ` (${because})` : '';
}

export const ACTIVE_STATUSES: readonly string[] = ['active', 'invited'];

/**
 * Why an account seen only as an invitation is not judged for a sign-in
 * control (MFA, SSO): nobody has signed in with it yet, and the control
 * applies once it is accepted. Null when it was ever more than invited. It
 * stays in the population (a leaver's open invitation is still access).
 */
export function onlyInvited(active: ReadonlyArray<{ record: { data: unknown } }>, control: string): string | null {
  if (!active.every(({ record }) => (record.data as Account).status === 'invited')) return null;
  const since = (active[0]!.record.data as Account).createdAt;
  return `invited${since ? ` on ${since}` : ''}, not yet accepted in any inventory: ${control} applies once the invitation is accepted`;
}

export default defineCheck({
  id: 'mfa-enabled',
  title: 'MFA on for every active account',
  description:
    'In every account inventory in effect during the period, each active account must have multi-factor authentication enabled. An account whose system reports MFA as unknown is not assessable, not a pass; bots and service accounts are listed as exempt (setting exemptAccountTypes).',
  criteria: ['CC6.1'],
  reads: ['access.account'],
  settings: Settings,
  async *evaluate({ evidence, settings }) {
    for await (const item of accountItems(evidence)) {
      const active = item.seen.filter(({ record }) => ACTIVE_STATUSES.includes((record.data as Account).status));
      if (active.length === 0) continue;
      const latest = active.at(-1)!.record.data as Account;
      const records = [...new Set(active.map(({ record }) => record.hash))];
      const base = { item: `${latest.accountId}${latest.email ? ` <${latest.email}>` : ''}`, system: item.system, records };
      if (settings.exemptAccountTypes.includes(latest.accountType)) {
        yield { ...base, status: 'not-assessable', exempt: 'exemptAccountTypes', reason: `${latest.accountType} account${serviceBecause(latest)}: MFA does not apply (setting exemptAccountTypes)` };
        continue;
      }
      const invited = onlyInvited(active, 'MFA');
      if (invited) {
        yield { ...base, status: 'not-assessable', reason: invited };
        continue;
      }
      if (active.every(({ record }) => (record.data as Account).attributes?.consoleAccess === false)) {
        yield { ...base, status: 'not-assessable', reason: 'cannot sign in to a console (no console password in any inventory): console MFA does not apply' };
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
