/**
 * Which criteria get a population file in the bundle: those a configured
 * stream's records serve after the configuration's overrides (which replace
 * a kind's defaults), and the defaults of the streams it does not name. A
 * criterion a stream was configured to serve, but with no item in the period,
 * gets an empty population saying why rather than no file at all.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ledgerFromLocker, type SourcePlan } from '@evidentia/audit';
import { accountRecord, createSyntheticLocker, planOf, type SyntheticLocker } from '@evidentia/audit/testing';
import { parsePeriod } from '@evidentia/time';
import { addPopulations } from './populations.js';
import { readZipEntries } from './rewrite-zip.js';
import { ZipWriter } from './zip-writer.js';

const PERIOD = parsePeriod('2026-02-01..2026-02-28');
let synthetic: SyntheticLocker;
let dir: string;

beforeAll(async () => {
  synthetic = await createSyntheticLocker();
  dir = await mkdtemp(join(tmpdir(), 'evidentia-bundle-populations-'));
  // GitHub's members were read; the HR system's accounts, configured to serve CC1.4 as well, never were.
  await synthetic.run('2026-02-10T02:00:00Z', [{ stream: 'github/members', type: 'state', records: [accountRecord('github:acme', 'alice')] }]);
});
afterAll(async () => {
  await synthetic.cleanup();
  await rm(dir, { recursive: true, force: true });
});

async function populationFiles(plans: SourcePlan[], ledger: Parameters<typeof addPopulations>[5] = null): Promise<Map<string, string>> {
  const file = join(dir, `bundle-${plans.length}-${ledger ? 'ledger' : 'plain'}.zip`);
  const zip = await ZipWriter.create(file, new Date('2026-03-03T00:00:00Z'));
  await addPopulations(zip, synthetic.locker, PERIOD, new Date('2026-03-03T00:00:00Z'), plans, ledger);
  await zip.close();
  return new Map([...(await readZipEntries(file))].filter(([path]) => path.startsWith('populations/')).map(([path, bytes]) => [path, bytes.toString('utf8')]));
}

describe("the bundle's populations", () => {
  it('hold an empty population, saying why, for a criterion a configured stream was set to serve instead of its defaults', async () => {
    const plans: SourcePlan[] = [
      { stream: 'github/members', connector: 'github', kind: 'access.account', type: 'state', maxStalenessHours: 36, controls: ['CC6.1', 'CC6.2', 'CC6.3'] },
      { stream: 'hr/accounts', connector: 'hr', kind: 'access.account', type: 'state', maxStalenessHours: 36, controls: ['CC1.4', 'CC6.2'] },
    ];
    const files = await populationFiles(plans);
    expect([...files.keys()].sort()).toEqual(['populations/CC1.4.csv', 'populations/CC6.1.csv', 'populations/CC6.2.csv', 'populations/CC6.3.csv']);
    expect(files.get('populations/CC1.4.csv')).toContain('# items: 0: empty because ');
    expect(files.get('populations/CC1.4.csv')).toContain('hr/accounts is configured but has never been collected');
    // GitHub's accounts are of the period, but serve other criteria: they are no reason CC1.4's population is empty.
    expect(files.get('populations/CC1.4.csv')).not.toContain('github/members');
  });

  it('name as incomplete only the streams that serve the criterion', async () => {
    const files = await populationFiles([
      { stream: 'github/members', connector: 'github', kind: 'access.account', type: 'state', maxStalenessHours: 36, controls: ['CC6.1', 'CC6.2', 'CC6.3'] },
      { stream: 'hr/accounts', connector: 'hr', kind: 'access.account', type: 'state', maxStalenessHours: 36, controls: ['CC1.4', 'CC6.2'] },
      { stream: 'ops/accounts', connector: 'ops', kind: 'access.account', type: 'state', maxStalenessHours: 36, controls: ['CC6.1', 'CC6.2', 'CC6.3'] },
    ]);
    const incomplete = (criterion: string) => (files.get(`populations/${criterion}.csv`) ?? '').split('\r\n').filter((line) => line.startsWith('"# incomplete: ') || line.startsWith('# incomplete: ')).map((line) => /incomplete: (\S+)/.exec(line)?.[1]);
    expect(incomplete('CC6.1')).toEqual(['ops/accounts']);
    expect(incomplete('CC6.2')).toEqual(['hr/accounts', 'ops/accounts']);
    expect(incomplete('CC6.3')).toEqual(['ops/accounts']);
  });

  it("name the open coverage gaps of a criterion's streams: one inventory on the 10th of a daily-collected month", async () => {
    const plans: SourcePlan[] = [{ stream: 'github/members', connector: 'github', kind: 'access.account', type: 'state', maxStalenessHours: 36, controls: ['CC6.1'] }];
    const ledger = await ledgerFromLocker(synthetic.locker, [planOf({ id: 'github/members', type: 'state', schedule: '0 2 * * *', controls: ['CC6.1'] })], PERIOD, new Date('2026-03-03T00:00:00Z'));
    const population = (await populationFiles(plans, ledger)).get('populations/CC6.1.csv') ?? '';
    expect(population).toContain('# items: 1');
    expect(population).toContain(
      'incomplete: github/members has 2 open coverage gaps in the period (2026-02-01T00:00Z..2026-02-10T02:00Z, 2026-02-11T14:00Z..2026-03-01T00:00Z), so its access.account items of that time may be missing from this population (see coverage)',
    );
    // Without a ledger (no configuration gives schedules) there is nothing to say it by.
    expect((await populationFiles(plans)).get('populations/CC6.1.csv')).not.toContain('coverage gap');
  });
});
