/**
 * Default branches stayed protected throughout the period: in every
 * inventory of branch protection in effect during it (not only the latest),
 * pull requests were required with at least the configured number of
 * approvals, the rules applied to administrators and force-pushes were
 * refused. A repository seen unprotected in any inventory is an exception
 * naming when. An archived or disabled repository is read-only (nothing can
 * be merged into it): the inventories that saw it so are excluded by rule,
 * and one read-only in all of them passes saying so.
 */
import { z } from 'zod';
import type { RecordData } from '@evidentia/evidence';
import { CODE_HOST_DEFAULTS, sourceFrom } from '../approvals.js';
import { defineCheck } from '../define.js';
import { observedSpan, when } from './inventory-text.js';

type Setting = RecordData<'change.config'>;

const Settings = z
  .object({
    minApprovals: z.number().int().min(0).default(1).describe('fewest required approving reviews'),
    requireEnforceAdmins: z.boolean().default(true).describe('the rules must apply to administrators'),
    forbidForcePushes: z.boolean().default(true).describe('force-pushes must be refused'),
    codeHosts: z.array(z.string()).default(CODE_HOST_DEFAULTS).describe('system prefixes whose branch protection is judged'),
  })
  .strict();

/** The source marked the repository read-only (archived or disabled) at that inventory. */
function readOnly(setting: Setting): string | null {
  if (setting.settings.archived === true) return 'archived';
  return setting.settings.disabled === true ? 'disabled' : null;
}

function shortfalls(setting: Setting, settings: z.infer<typeof Settings>): string[] {
  if (!setting.present) return ['no protection'];
  const s = setting.settings;
  const problems: string[] = [];
  if (s.requiresPullRequest !== true) problems.push('pull requests not required');
  const approvals = typeof s.requiredApprovals === 'number' ? s.requiredApprovals : 0;
  if (approvals < settings.minApprovals) problems.push(`${approvals} required approval(s), fewer than ${settings.minApprovals}`);
  if (settings.requireEnforceAdmins && s.enforceAdmins !== true) problems.push('not enforced for administrators');
  if (settings.forbidForcePushes && s.allowForcePushes !== false) problems.push('force-pushes allowed');
  return problems;
}

export default defineCheck({
  id: 'branch-protection',
  title: 'Default branches protected throughout the period',
  description:
    'Every inventory of default-branch protection in effect during the period is examined, not only the latest: each branch must require pull requests with at least the configured number of approvals, apply the rules to administrators and refuse force-pushes, every time it was observed. A repository the source marks archived or disabled is read-only: those observations are excluded by rule and said so.',
  criteria: ['CC8.1'],
  reads: ['change.config'],
  settings: Settings,
  appliesTo: (source, settings) => sourceFrom(source, settings.codeHosts),
  async *evaluate({ evidence, settings }) {
    for await (const item of evidence.items('change.config')) {
      const seen = item.seen.filter(({ record }) => (record.data as Setting).setting === 'branch_protection');
      if (seen.length === 0) continue;
      const records = [...new Set(seen.map(({ record }) => record.hash))];
      const base = { item: item.key, system: item.system, records };
      const active = seen.filter(({ record }) => readOnly(record.data as Setting) === null);
      const frozen = seen.filter(({ record }) => readOnly(record.data as Setting) !== null);
      const note = frozen.length > 0 ? `; ${readOnly(frozen[0]!.record.data as Setting)} (read-only, excluded by rule) ${when(frozen.map((s) => s.at), seen.length)}` : '';
      if (active.length === 0) {
        yield { ...base, status: 'pass', reason: `${readOnly(frozen[0]!.record.data as Setting)}: read-only, so no change can reach it; excluded from the protection rule ${observedSpan(frozen.map((s) => s.at))}` };
        continue;
      }
      const failing = active.flatMap(({ at, record }) => {
        const problems = shortfalls(record.data as Setting, settings);
        return problems.length > 0 ? [{ at, problems }] : [];
      });
      if (failing.length === 0) yield { ...base, status: 'pass', reason: `protected as required ${observedSpan(active.map((s) => s.at))}${note}` };
      else yield { ...base, status: 'exception', reason: `${failing[0]!.problems.join(', ')} ${when(failing.map((f) => f.at), active.length)}${note}` };
    }
  },
});
