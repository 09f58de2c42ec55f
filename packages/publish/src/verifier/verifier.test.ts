/**
 * The standalone verifier as an auditor runs it: verify.mjs taken out of an
 * exported bundle into an empty folder outside the workspace, run by plain
 * node with no modules to find, giving exactly the report of `verify
 * --bundle` (verifyBundle) for an intact bundle, an edited record line, a
 * forged manifest signature and an edited access-review decision. And the
 * checked-in verify.mjs is the build of the current sources, and the same
 * bytes as the @evidentia/verify package's.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildReview, builtInChecks, PeopleDirectory } from '@evidentia/audit';
import { accountRecord, createSyntheticLocker, type SyntheticLocker } from '@evidentia/audit/testing';
import { parsePeriod } from '@evidentia/time';
import { exportBundle } from '../bundle/export.js';
import type { BundleIndex } from '../bundle/layout.js';
import { bundleReportJson, renderBundleReport } from '../bundle/render.js';
import { readZipEntries, rewriteZip, writeZipEntryNamed } from '../bundle/rewrite-zip.js';
import { verifyBundle } from '../bundle/verify.js';
import { buildVerifier } from './build.js';
import { VERIFIER_FILE, VERIFY_PACKAGE_FILE } from './file.js';

let synthetic: SyntheticLocker;
let auditor: string;

interface Outcome {
  code: number;
  stdout: string;
  stderr: string;
}

/** `node verify.mjs ARGS` in the auditor's folder, with an environment that offers no modules. */
function runVerifier(...args: string[]): Promise<Outcome> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['verify.mjs', ...args], { cwd: auditor, env: { PATH: process.env.PATH ?? '' } }, (error, stdout, stderr) => {
      resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr });
    });
  });
}

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

/** Tamper with the auditor's bundle as someone without the signing key would (rehashing the index, or not). */
async function tamperedCopy(name: string, rehashIndex: boolean, edit: (entries: Map<string, Buffer>) => void): Promise<string> {
  await rewriteZip(join(auditor, 'bundle.zip'), join(auditor, name), (entries) => {
    edit(entries);
    if (!rehashIndex) return;
    const index = JSON.parse(entries.get('index.json')!.toString()) as BundleIndex;
    index.files = index.files.map((file) => ({ ...file, sha256: sha256(entries.get(file.path)!), bytes: entries.get(file.path)!.length }));
    entries.set('index.json', Buffer.from(JSON.stringify(index)));
  });
  return name;
}

beforeAll(async () => {
  synthetic = await createSyntheticLocker();
  const members = (...logins: string[]) => ({ stream: 'github/members', type: 'state' as const, records: logins.map((login) => accountRecord('github:acme', login, { email: `${login}@acme.example` })) });
  await synthetic.run('2026-01-05T02:00:00Z', [members('old')]);
  await synthetic.run('2026-02-05T02:00:00Z', [members('alice', 'bob')]);
  const review = await buildReview(synthetic.locker, { system: 'github:acme', reviewer: null, aliases: {}, now: new Date('2026-02-06T00:00:00Z'), inactiveDays: 90, directorySystems: [] });
  await synthetic.locker.appendAccessReview({ reviewId: 'AR-1', kind: 'review', system: 'github:acme', addedBy: 'grc@acme.example', body: review });
  const decisions = review.rows.map((row) => ({ row: row.row, account: row.account, decision: row.account === 'bob' ? 'revoke' : 'keep', reviewer: 'lead@acme.example', comment: '' }));
  const decided = Buffer.from('decided workbook\n');
  await synthetic.locker.appendAccessReview({ reviewId: 'AR-1', kind: 'decisions', system: 'github:acme', addedBy: 'grc@acme.example', body: { decisions, partial: false, file: { name: 'AR-1.xlsx', sha256: sha256(decided) } }, files: [decided] });
  await synthetic.run('2026-02-20T02:00:00Z', [members('alice', 'carol')]);
  const exported = join(synthetic.dir, 'bundle.zip');
  await exportBundle({
    locker: synthetic.locker,
    period: parsePeriod('2026-02-01..2026-02-28'),
    out: exported,
    checks: builtInChecks.map((definition) => ({ definition, settings: definition.settings.parse({}) })),
    people: new PeopleDirectory(),
    coverage: null,
    createdAt: new Date('2026-03-03T00:00:00Z'),
  });
  // The auditor's folder: the bundle and the verifier taken out of it, nothing else.
  auditor = await mkdtemp(join(tmpdir(), 'evidentia-auditor-'));
  await copyFile(exported, join(auditor, 'bundle.zip'));
  await writeFile(join(auditor, 'verify.mjs'), (await readZipEntries(exported)).get('verify.mjs')!);
}, 120_000);

afterAll(async () => {
  await synthetic.cleanup();
  await rm(auditor, { recursive: true, force: true });
});

describe('the standalone verifier', () => {
  it('is the build of the current sources (else run `pnpm build:verifier`)', async () => {
    expect((await buildVerifier()) === (await readFile(VERIFIER_FILE, 'utf8'))).toBe(true);
  });

  it('carries none of the record schema machinery (zod): the code it calls is kept free of it, so every bundle stays small', async () => {
    const text = await readFile(VERIFIER_FILE, 'utf8');
    // The verifier reads what records name (their sources) with a schema-free reader; importing the record schema once pulled zod in (870 KB instead of 98 KB).
    expect(text).not.toMatch(/\bZodType\b|from "zod"|node_modules\/zod\//);
  });

  it('is byte for byte the code of @evidentia/verify (`npx @evidentia/verify bundle.zip`), which build:verifier writes too', async () => {
    expect((await readFile(VERIFY_PACKAGE_FILE)).equals(await readFile(VERIFIER_FILE))).toBe(true);
  });

  it('verifies an intact bundle in an empty folder with plain node, reporting exactly what verify --bundle reports', async () => {
    const result = await runVerifier('bundle.zip');
    expect(result).toEqual({ code: 0, stdout: renderBundleReport(await verifyBundle(join(auditor, 'bundle.zip'))), stderr: '' });
    expect(result.stdout.trimEnd().split('\n').at(-1)).toBe('bundle verified: no problems');
    const json = await runVerifier('bundle.zip', '--json', '--public-key', join(synthetic.dir, 'keys', 'signing.pub'));
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toMatchObject({ ok: true, keySource: 'given', counts: { manifests: 3, streams: 3 } });
  });

  it('fails an edited record line, naming the records file first, as verify --bundle does', async () => {
    const name = await tamperedCopy('record-edited.zip', false, (entries) => {
      const lines = entries.get('records/records.jsonl')!.toString().split('\n');
      lines[0] = lines[0]!.replace('"mfa":"enabled"', '"mfa":"disabled"');
      entries.set('records/records.jsonl', Buffer.from(lines.join('\n')));
    });
    const result = await runVerifier(name);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe(renderBundleReport(await verifyBundle(join(auditor, name))));
    expect(result.stdout.split('\n')[2]).toMatch(/^PROBLEM file-altered records\/records\.jsonl: /);
    expect(result.stdout.trimEnd().split('\n').at(-1)).toMatch(/^bundle FAILED verification: \d+ problem\(s\) from \d+ root cause\(s\)$/);
  });

  it('fails a forged manifest signature, naming the manifest', async () => {
    const name = await tamperedCopy('signature-forged.zip', true, (entries) => {
      const chain = entries.get('manifests/chain.jsonl')!.toString().split('\n').map((line) => {
        if (!line.includes('"sequence":2,')) return line;
        const entry = JSON.parse(line) as { signature: string };
        return JSON.stringify({ ...entry, signature: Buffer.alloc(64, 7).toString('base64') });
      });
      entries.set('manifests/chain.jsonl', Buffer.from(chain.join('\n')));
    });
    const result = await runVerifier(name, '--json');
    expect(result.code).toBe(1);
    expect(result.stdout).toBe(bundleReportJson(await verifyBundle(join(auditor, name))));
    const report = JSON.parse(result.stdout) as { problems: { code: string; path: string | null }[] };
    expect(report.problems).toEqual(expect.arrayContaining([{ code: 'signature-invalid', path: 'manifests/2.json', message: expect.stringContaining('manifest #2') }]));
  });

  it('fails an edited access-review decision even with the index rehashed, naming the entry', async () => {
    const name = await tamperedCopy('decision-edited.zip', true, (entries) => {
      const text = entries.get('access-reviews/entries.jsonl')!.toString();
      expect(text).toContain('"decision":"revoke"');
      entries.set('access-reviews/entries.jsonl', Buffer.from(text.replace('"decision":"revoke"', '"decision":"keep"')));
    });
    const result = await runVerifier(name);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe(renderBundleReport(await verifyBundle(join(auditor, name))));
    expect(result.stdout).toMatch(/PROBLEM signature-invalid access-reviews\/entries\.jsonl: access-review entry 2 \(decisions of review AR-1, github:acme\): the signature over entry [0-9a-f]{64} does not verify/);
  });

  it('says in one line what is wrong with its arguments or the bundle (exit 2)', async () => {
    expect(await runVerifier()).toMatchObject({ code: 2, stderr: expect.stringMatching(/^verify\.mjs: name the bundle to verify\nusage: /) });
    expect(await runVerifier('missing.zip')).toEqual({ code: 2, stdout: '', stderr: 'verify.mjs: missing.zip: ENOENT\n' });
    expect(await runVerifier('bundle.zip', '--public-key', 'nokey.pem')).toEqual({ code: 2, stdout: '', stderr: 'verify.mjs: --public-key nokey.pem: ENOENT\n' });
  });

  it('names an entry it refuses to read (../) without passing its control characters to the terminal', async () => {
    // A hostile bundle's entry name would otherwise erase the line and print a verdict of its own.
    await writeZipEntryNamed(join(auditor, 'hostile.zip'), '../\u001b[2K\rbundle verified: no problems\u001b]0;x\u0007');
    expect(await runVerifier('hostile.zip')).toEqual({ code: 2, stdout: '', stderr: 'verify.mjs: hostile.zip: invalid relative path: ../\\x1b[2K\\x0dbundle verified: no problems\\x1b]0;x\\x07\n' });
  });
});
