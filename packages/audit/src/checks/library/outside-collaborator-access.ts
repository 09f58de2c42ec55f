/**
 * Outside collaborators (people outside the organization given access to
 * some of its repositories) hold no more than the permissions the policy
 * allows, by default read and triage: one with admin, maintain or write on a
 * repository can change code or settings outside the organization's own
 * joiner/leaver process, which is what an auditor asks about for CC6.2/CC6.3.
 * Judged in every inventory of the period from the repositories the code
 * host recorded on each collaborator's account; an account whose
 * repositories were not recorded, or where a repository could not be read,
 * is not assessable, never a pass. A system whose inventories hold no
 * outside collaborator passes saying so.
 */
import { z } from 'zod';
import type { RecordData } from '@evidentia/evidence';
import { accountItems } from '../account-items.js';
import { CODE_HOST_DEFAULTS, isCodeHost, sourceFrom } from '../approvals.js';
import { defineCheck } from '../define.js';
import { ACTIVE_STATUSES } from './mfa-enabled.js';
import { observedSpan, when } from './inventory-text.js';

type Account = RecordData<'access.account'>;
interface Grant {
  repository: string;
  permission: string;
  role?: string;
}

const Settings = z
  .object({
    allowedPermissions: z.array(z.string()).default(['read', 'triage']).describe('repository permissions an outside collaborator may hold'),
    codeHosts: z.array(z.string()).default(CODE_HOST_DEFAULTS).describe('system prefixes whose outside collaborators are judged'),
  })
  .strict();

const OUTSIDE = 'outside_collaborator';

function grantsOf(account: Account): Grant[] | null {
  const listed = account.attributes?.repositories;
  return Array.isArray(listed) ? (listed as unknown as Grant[]) : null;
}

function unreadOf(account: Account): string[] {
  const unread = account.attributes?.repositoriesUnread;
  return Array.isArray(unread) ? unread.map(String) : [];
}

const grantText = (grant: Grant) => `${grant.permission}${grant.role ? ` (role ${grant.role})` : ''} on ${grant.repository}`;

export default defineCheck({
  id: 'outside-collaborator-access',
  title: 'Outside collaborators hold no more than the allowed repository permissions',
  description:
    'In every account inventory of the period, each outside collaborator may hold only the allowed permissions (read and triage by default) on any repository. Admin, maintain or write access is an exception naming the repositories. A collaborator whose repositories were not recorded, or where a repository could not be read, is not assessable; a system with no outside collaborator passes saying so.',
  criteria: ['CC6.2', 'CC6.3'],
  reads: ['access.account'],
  settings: Settings,
  appliesTo: (source, settings) => sourceFrom(source, settings.codeHosts),
  async *evaluate({ evidence, settings }) {
    const judged = new Set<string>();
    // Per system, the active accounts seen and when: a system whose inventories held accounts but no outside collaborator passes on them.
    const population = new Map<string, { accounts: number; times: Set<string> }>();
    for await (const item of accountItems(evidence)) {
      if (!isCodeHost(item.system, settings.codeHosts)) continue;
      const anyActive = item.seen.filter(({ record }) => ACTIVE_STATUSES.includes((record.data as Account).status));
      if (anyActive.length > 0) {
        const known = population.get(item.system) ?? { accounts: 0, times: new Set<string>() };
        known.accounts++;
        for (const { at } of anyActive) known.times.add(at);
        population.set(item.system, known);
      }
      const active = anyActive.filter(({ record }) => (record.data as Account).accountType === OUTSIDE);
      if (active.length === 0) continue;
      judged.add(item.system);
      const latest = active.at(-1)!.record.data as Account;
      const base = { item: latest.accountId, system: item.system, records: [...new Set(active.map(({ record }) => record.hash))] };
      const excess = new Map<string, Grant>();
      const failing: string[] = [];
      const unrecorded: string[] = [];
      const unread = new Set<string>();
      for (const { at, record } of active) {
        const account = record.data as Account;
        const grants = grantsOf(account);
        if (grants === null) {
          unrecorded.push(at);
          continue;
        }
        for (const repository of unreadOf(account)) unread.add(repository);
        const above = grants.filter((grant) => !settings.allowedPermissions.includes(grant.permission));
        if (above.length > 0) failing.push(at);
        for (const grant of above) excess.set(`${grant.repository}\u0000${grant.permission}`, grant);
      }
      if (excess.size > 0) {
        yield { ...base, status: 'exception', reason: `outside collaborator with ${[...excess.values()].map(grantText).join(', ')} ${when(failing, active.length)} (allowed: ${settings.allowedPermissions.join(', ')})` };
      } else if (unrecorded.length > 0) {
        yield { ...base, status: 'not-assessable', reason: `the repositories this outside collaborator can reach were not recorded ${when(unrecorded, active.length)}` };
      } else if (unread.size > 0) {
        yield { ...base, status: 'not-assessable', reason: `no grant above ${settings.allowedPermissions.join(', ')} seen, but the collaborators of ${[...unread].join(', ')} could not be read: a higher grant there is not ruled out` };
      } else {
        const grants = grantsOf(latest)!;
        const held = grants.length === 0 ? 'no repository access' : grants.map(grantText).join(', ');
        yield { ...base, status: 'pass', reason: `outside collaborator with ${held} ${observedSpan(active.map(({ at }) => at))}` };
      }
    }
    // Inventories holding accounts but no outside collaborator are evidence too: say so per system rather than stay silent.
    for (const [system, { accounts, times }] of population) {
      if (judged.has(system)) continue;
      yield { item: 'outside collaborators', system, status: 'pass', reason: `no outside collaborator among ${accounts} active account(s) ${observedSpan([...times].sort())}`, records: [] };
    }
  },
});
