/**
 * An export that fails half-way: the error it fails with is the one told,
 * and nothing is left in the target folder (no bundle, no partial file).
 * The failure, or a collection committing meanwhile (a daemon does not wait
 * for an export), comes from the readiness extension point, which the
 * export calls between the check results and the report.
 */
import { afterAll, beforeAll, expect, it } from '@jest/globals';
import { mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { builtInChecks, PeopleDirectory, type Readiness } from '@evidentia/audit';
import { accountRecord, createSyntheticLocker, type SyntheticLocker } from '@evidentia/audit/testing';
import { parsePeriod } from '@evidentia/time';
import { exportBundle } from './export.js';

let synthetic: SyntheticLocker;
const members = (...logins: string[]) => ({ stream: 'github/members', type: 'state' as const, records: logins.map((login) => accountRecord('github:acme', login, { email: `${login}@acme.example` })) });

beforeAll(async () => {
  synthetic = await createSyntheticLocker();
  await synthetic.run('2026-01-05T02:00:00Z', [members('old')]);
  await synthetic.run('2026-02-05T02:00:00Z', [members('alice', 'bob')]);
}, 60_000);

afterAll(async () => synthetic.cleanup());

/** Export February into a fresh folder, with `readiness` called half-way; returns the export and the folder. */
async function exportFebruary(readiness: () => Promise<Readiness[]>): Promise<{ exported: Promise<unknown>; dir: string }> {
  const dir = await mkdtemp(join(tmpdir(), 'evidentia-export-failure-'));
  const exported = exportBundle({
    locker: synthetic.locker,
    period: parsePeriod('2026-02-01..2026-02-28'),
    out: join(dir, 'bundle.zip'),
    checks: builtInChecks.map((definition) => ({ definition, settings: definition.settings.parse({}) })),
    people: new PeopleDirectory(),
    coverage: null,
    createdAt: new Date('2026-03-03T00:00:00Z'),
    readiness,
  });
  return { exported, dir };
}

it('fails with its own error half-way and leaves no file', async () => {
  const { exported, dir } = await exportFebruary(() => Promise.reject(new Error('the readiness configuration cannot be read')));
  await expect(exported).rejects.toThrow('the readiness configuration cannot be read');
  expect(await readdir(dir)).toEqual([]);
});

it('refuses to sign a bundle when a run with evidence of the period commits while it is written', async () => {
  // The run's inventory is in effect in February: the report, built after it, would show a collection whose
  // records, snapshots and manifest the bundle, which chose its stream runs at the start, does not carry.
  const { exported, dir } = await exportFebruary(async () => {
    await synthetic.run('2026-02-25T02:00:00Z', [members('alice', 'carol')]);
    return [];
  });
  await expect(exported).rejects.toThrow(/^the locker changed while the bundle was written: #3 \S+ github\/members committed evidence of the period meanwhile/);
  expect(await readdir(dir)).toEqual([]);
});

it('fails naming the key when the signing key is there but cannot sign, rather than writing the bundle unsigned as if the locker had no key', async () => {
  const keyFile = join(synthetic.dir, 'keys', 'signing.key');
  const key = await readFile(keyFile);
  try {
    const { exported, dir } = await exportFebruary(async () => {
      await writeFile(keyFile, 'not a key\n');
      return [];
    });
    await expect(exported).rejects.toThrow(`${keyFile} is not a usable private key`);
    expect(await readdir(dir)).toEqual([]);
  } finally {
    await writeFile(keyFile, key);
  }
});
