/** branch-protection excludes archived (read-only) repositories by rule, saying so, rather than by their absence. */
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import branchProtection from './library/branch-protection.js';
import { createSyntheticLocker, type SyntheticLocker } from './synthetic-locker.js';
import { configRecord } from './synthetic-records.js';
import { findingsOf, verdicts } from './test-support.js';

const GH = 'github:acme';
const PERIOD = '2026-02-01..2026-02-28';
const stream = 'github/branch_protection';
const protectedBranch = (target: string) => configRecord('change.config', GH, target, 'branch_protection', { requiresPullRequest: true, requiredApprovals: 1, enforceAdmins: true, allowForcePushes: false });
const archived = (target: string) => configRecord('change.config', GH, target, 'branch_protection', { archived: true, disabled: false }, false);

let synthetic: SyntheticLocker;
beforeEach(async () => {
  synthetic = await createSyntheticLocker();
});
afterEach(async () => synthetic.cleanup());

describe('branch-protection and archived repositories', () => {
  it('passes a repository archived in every inventory, and judges only the inventories before it was archived', async () => {
    await synthetic.run('2026-02-02T02:00:00Z', [{ stream, type: 'state', records: [archived('acme/legacy@main'), protectedBranch('acme/old@main'), configRecord('change.config', GH, 'acme/gone@main', 'branch_protection', {}, false)] }]);
    await synthetic.run('2026-02-12T02:00:00Z', [{ stream, type: 'state', records: [archived('acme/legacy@main'), archived('acme/old@main'), archived('acme/gone@main')] }]);
    const findings = await findingsOf(branchProtection, synthetic.locker, PERIOD);
    expect(verdicts(findings)).toEqual([
      [`acme/gone@main:branch_protection @ ${GH}`, 'exception'],
      [`acme/legacy@main:branch_protection @ ${GH}`, 'pass'],
      [`acme/old@main:branch_protection @ ${GH}`, 'pass'],
    ]);
    const reason = (prefix: string) => findings.find((f) => f.item.startsWith(prefix))!.reason;
    expect(reason('acme/legacy')).toBe('archived: read-only, so no change can reach it; excluded from the protection rule in all 2 inventories from 2026-02-02T02:00:00.000Z to 2026-02-12T02:00:00.000Z');
    expect(reason('acme/old')).toBe('protected as required in the inventory of 2026-02-02T02:00:00.000Z; archived (read-only, excluded by rule) in 1 of 2 inventories, first at 2026-02-12T02:00:00.000Z');
    // Unprotected while it was active: archiving it later does not undo that.
    expect(reason('acme/gone')).toBe('no protection in the inventory of 2026-02-02T02:00:00.000Z; archived (read-only, excluded by rule) in 1 of 2 inventories, first at 2026-02-12T02:00:00.000Z');
  });
});
