/**
 * Example custom check: every privileged account active during the period is
 * on the list of approved administrators kept in the config. It shows the
 * whole check contract in one small file: an id, a title, the criteria it
 * serves, the record kinds it reads, zod settings with defaults, and an
 * evaluation that reads only the evidence it is handed and yields one finding
 * per account. Load it from evidentia.yaml:
 *
 *   checks:
 *     custom: [./checks/privileged-accounts.ts]
 *     privileged-accounts-approved:
 *       approved: [carol-lead, erin@example.com]
 */
import { z } from 'zod';
import type { RecordData } from '@evidentia/evidence';
import { defineCheck } from '@evidentia/audit';

type Account = RecordData<'access.account'>;

export default defineCheck({
  id: 'privileged-accounts-approved',
  title: 'Privileged accounts approved by name',
  description: 'Each account with administrative privileges in any inventory during the period must be on the approved list (by login or email).',
  criteria: ['CC6.3'],
  reads: ['access.account'],
  settings: z.object({ approved: z.array(z.string()).default([]).describe('logins or emails of approved administrators') }).strict(),
  async *evaluate({ evidence, settings }) {
    const approved = new Set(settings.approved.map((id) => id.toLowerCase()));
    for await (const item of evidence.items('access.account')) {
      const privileged = item.seen.filter(({ record }) => {
        const account = record.data as Account;
        return account.privileged && account.status === 'active';
      });
      if (privileged.length === 0) continue;
      const account = privileged.at(-1)!.record.data as Account;
      const ids = [account.accountId, account.email].filter((id): id is string => id !== null);
      const base = { item: account.accountId, system: item.system, records: [...new Set(privileged.map(({ record }) => record.hash))] };
      if (ids.some((id) => approved.has(id.toLowerCase()))) {
        yield { ...base, status: 'pass', reason: `privileged (${account.roles.join(', ')}) and on the approved list` };
      } else {
        yield { ...base, status: 'exception', reason: `privileged (${account.roles.join(', ')}) since at least ${privileged[0]!.at} but not on the approved list` };
      }
    }
  },
});
