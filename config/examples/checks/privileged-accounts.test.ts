/** The example custom check, loaded from a config file as a user would, run against a real locker. */
import { afterEach, describe, expect, it } from '@jest/globals';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadConfig } from '../../../collector/src/config/load.js';
import { PeopleDirectory } from '../../../packages/audit/src/checks/people.js';
import { parsePeriod } from '@evidentia/time';
import { configuredChecks } from '../../../packages/audit/src/checks/registry.js';
import { runChecks } from '../../../packages/audit/src/checks/runner.js';
import { createSyntheticLocker, type SyntheticLocker } from '../../../packages/audit/src/checks/synthetic-locker.js';
import { accountRecord } from '../../../packages/audit/src/checks/synthetic-records.js';

const MODULE = fileURLToPath(new URL('./privileged-accounts.ts', import.meta.url));

let synthetic: SyntheticLocker | undefined;
afterEach(async () => synthetic?.cleanup());

describe('example custom check: privileged accounts approved', () => {
  it('loads from checks.custom with its settings and judges every privileged account', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'evidentia-custom-check-'));
    const file = join(dir, 'evidentia.yaml');
    await writeFile(file, `connectors: {}\nchecks:\n  custom: [${JSON.stringify(MODULE)}]\n  privileged-accounts-approved:\n    approved: [carol-lead]\n`);
    const checks = await configuredChecks(await loadConfig(file, {}));
    const custom = checks.find((check) => check.definition.id === 'privileged-accounts-approved');
    expect(custom?.settings).toEqual({ approved: ['carol-lead'] });

    synthetic = await createSyntheticLocker();
    await synthetic.run('2026-02-10T02:00:00Z', [
      {
        stream: 'github/members',
        type: 'state',
        records: [
          accountRecord('github:acme', 'carol-lead', { privileged: true, roles: ['admin'] }),
          accountRecord('github:acme', 'erin-sec', { privileged: true, roles: ['admin'] }),
          accountRecord('github:acme', 'bob-dev'),
        ],
      },
    ]);
    const run = await runChecks({ locker: synthetic.locker, period: parsePeriod('2026-02-01..2026-02-28'), checks: [custom!], people: new PeopleDirectory() });
    expect(run.checks[0]!.findings.map((f) => [f.item, f.status])).toEqual([
      ['erin-sec', 'exception'],
      ['carol-lead', 'pass'],
    ]);
    expect(run.checks[0]!.findings[0]!.reason).toBe('privileged (admin) since at least 2026-02-10T02:00:00.000Z but not on the approved list');
  });
});
