/**
 * A bundle from a locker whose key was rotated: its index must be signed by
 * the newest key of the chain it carries (the key in effect at export) and
 * each entry by the key in effect when it was added, in `verify --bundle` and
 * in the standalone verify.mjs alike. Whoever kept the retired key can neither
 * re-sign an edited index nor add an acceptance after the hand-over.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { builtInChecks, PeopleDirectory } from '@evidentia/audit';
import { configRecord, createSyntheticLocker, type SyntheticLocker } from '@evidentia/audit/testing';
import { InLockerKey, KeyDirectory, openLocker, parsePublicKey, signDocument, type KeyCustody, type Locker, type Signer } from '@evidentia/locker';
import { parsePeriod } from '@evidentia/time';
import { exportBundle } from './export.js';
import { INDEX_SIGNATURE_PURPOSE, PATHS, type BundleIndex } from './layout.js';
import { readZipEntries, rewriteZip } from './rewrite-zip.js';
import { renderBundleReport } from './render.js';
import { messages } from './tampering.test-support.js';
import { verifyBundle } from './verify.js';

const ROTATED_AT = '2026-02-10T00:00:00.000Z';
let synthetic: SyntheticLocker;
let keysDir: string;
let auditor: string;
let rotated: Locker;
let retired: Signer;
let newKeyId: string;

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');
const accept = (item: string, recordedBy: string) => ({ check: 'branch-protection', item, reason: 'legacy', approver: 'ciso@acme.example', until: '2026-03-31', recordedBy });

async function exported(name: string): Promise<string> {
  const out = join(auditor, name);
  await exportBundle({
    locker: rotated,
    period: parsePeriod('2026-02-01..2026-02-28'),
    out,
    checks: builtInChecks.filter((check) => check.id === 'branch-protection').map((definition) => ({ definition, settings: definition.settings.parse({}) })),
    people: new PeopleDirectory(),
    coverage: null,
    createdAt: new Date('2026-03-03T00:00:00Z'),
  });
  return out;
}

/** `node verify.mjs NAME` in the auditor's folder (the verifier the bundle carries), with an environment that offers no modules. */
async function standalone(bundle: string): Promise<{ code: number; stdout: string }> {
  await writeFile(join(auditor, 'verify.mjs'), (await readZipEntries(bundle)).get('verify.mjs')!);
  return new Promise((resolve) => {
    execFile(process.execPath, ['verify.mjs', bundle], { cwd: auditor, env: { PATH: process.env.PATH ?? '' } }, (error, stdout) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout }));
  });
}

beforeAll(async () => {
  synthetic = await createSyntheticLocker();
  await synthetic.run('2026-02-02T02:00:00Z', [{ stream: 'github/branch_protection', type: 'state', records: [configRecord('change.config', 'github:acme', 'acme/a@main', 'branch_protection', {}, false)] }]);
  // Signed by the first key before the hand-over: legitimate.
  await synthetic.locker.acceptException(accept('acme/a@main:branch_protection', 'grc@acme.example'));
  const first = parsePublicKey(await synthetic.locker.publicKey()).keyId;
  retired = (await new InLockerKey(synthetic.dir).signerFor(first))!;
  keysDir = await mkdtemp(join(tmpdir(), 'evidentia-bundle-keys-'));
  auditor = await mkdtemp(join(tmpdir(), 'evidentia-bundle-rotation-'));
  rotated = await openLocker(synthetic.dir, { custody: new KeyDirectory(keysDir), now: () => new Date(ROTATED_AT) });
  newKeyId = (await rotated.rotateKey()).to;
}, 120_000);

afterAll(async () => {
  await rotated.close();
  await synthetic.cleanup();
  await rm(keysDir, { recursive: true, force: true });
  await rm(auditor, { recursive: true, force: true });
});

describe('a bundle across a key rotation', () => {
  it('fails an edited report whose index the retired key re-signed, in verify --bundle and verify.mjs', async () => {
    const bundle = await exported('intact.zip');
    expect(messages(await verifyBundle(bundle))).toEqual([]);
    const entries = await readZipEntries(bundle);
    const report = Buffer.from(entries.get(PATHS.report)!.toString().replace('</body>', '<p>all controls passed</p></body>'));
    const index = JSON.parse(entries.get(PATHS.index)!.toString()) as BundleIndex;
    index.files = index.files.map((file) => (file.path === PATHS.report ? { ...file, sha256: sha256(report), bytes: report.length } : file));
    const indexBytes = Buffer.from(JSON.stringify(index));
    const signature = await signDocument(retired, INDEX_SIGNATURE_PURPOSE, indexBytes);
    const forged = join(auditor, 'index-re-signed.zip');
    await rewriteZip(bundle, forged, (files) => {
      files.set(PATHS.report, report);
      files.set(PATHS.index, indexBytes);
      files.set(PATHS.signature, Buffer.from(`${signature}\n`));
    });
    const verified = await verifyBundle(forged);
    expect(messages(verified)).toEqual([
      `index-signature-invalid: index.json is signed with key ${retired.publicKey.keyId}, which was retired at ${ROTATED_AT} (handed over to key ${newKeyId}): the index must be signed by key ${newKeyId}, in effect when the bundle was made`,
    ]);
    const result = await standalone(forged);
    expect(result).toEqual({ code: 1, stdout: renderBundleReport(verified) });
    expect(result.stdout).toContain(`PROBLEM index-signature-invalid index.sig: index.json is signed with key ${retired.publicKey.keyId}, which was retired`);
  });

  it('fails an acceptance the retired key signed after the hand-over, in verify --bundle and verify.mjs', async () => {
    // The locker refuses a retired key, so whoever kept it hides the rotation records while writing.
    const custody: KeyCustody = { location: 'a kept copy of the retired key', signerFor: async () => retired, newSigner: async () => retired };
    const rotations = join(synthetic.dir, 'keys', 'rotations');
    await rename(rotations, `${rotations}.hidden`);
    const attacker = await openLocker(synthetic.dir, { custody, now: () => new Date('2026-02-12T00:00:00.000Z') });
    try {
      await attacker.acceptException(accept('acme/b@main:branch_protection', 'mallory'));
    } finally {
      await attacker.close();
      await rename(`${rotations}.hidden`, rotations);
    }
    const bundle = await exported('retired-acceptance.zip');
    const verified = await verifyBundle(bundle);
    expect(messages(verified)).toEqual([
      `signature-invalid: acceptance 2 (branch-protection, item "acme/b@main:branch_protection"): signed at 2026-02-12T00:00:00.000Z with key ${retired.publicKey.keyId}, which was retired at ${ROTATED_AT} (handed over to key ${newKeyId}); a retired key signs nothing new`,
    ]);
    expect(await standalone(bundle)).toEqual({ code: 1, stdout: renderBundleReport(verified) });
  });

  it('fails a manifest the retired key sealed after the hand-over at a sequence before it, in verify --bundle and verify.mjs', async () => {
    // A rolled-back head sealed again with the retired key: its sequence is before the hand-over, its time after it.
    const rolledBack = await createSyntheticLocker();
    const keys = await mkdtemp(join(tmpdir(), 'evidentia-bundle-keys-'));
    try {
      await rolledBack.run('2026-02-12T02:00:00Z', [{ stream: 'github/branch_protection', type: 'state', records: [configRecord('change.config', 'github:acme', 'acme/a@main', 'branch_protection', {}, false)] }]);
      const old = parsePublicKey(await rolledBack.locker.publicKey()).keyId;
      const after = await openLocker(rolledBack.dir, { custody: new KeyDirectory(keys), now: () => new Date(ROTATED_AT) });
      const to = (await after.rotateKey()).to;
      const out = join(auditor, 'retired-manifest.zip');
      try {
        await exportBundle({ locker: after, period: parsePeriod('2026-02-01..2026-02-28'), out, checks: [], people: new PeopleDirectory(), coverage: null, createdAt: new Date('2026-03-03T00:00:00Z') });
      } finally {
        await after.close();
      }
      const verified = await verifyBundle(out);
      expect(messages(verified)).toEqual([
        `signature-invalid: manifest #1: sealed at 2026-02-12T02:00:00.000Z with key ${old}, which was retired at ${ROTATED_AT} (handed over to key ${to} from manifest 2); a retired key seals nothing new`,
      ]);
      expect(await standalone(out)).toEqual({ code: 1, stdout: renderBundleReport(verified) });
    } finally {
      await rolledBack.cleanup();
      await rm(keys, { recursive: true, force: true });
    }
  });
});
