/**
 * The audit bundle: what it holds for a period (the manifest before it, the
 * inventories in effect, runs after the period that collected its events),
 * that it verifies with the public key alone, and that every kind of
 * tampering is named: altered, removed and added files, an index rewritten
 * without the key, a broken chain, a bundle re-signed with another key.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createHash, generateKeyPairSync } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exportBundle } from './export.js';
import { INDEX_SIGNATURE_PURPOSE, type BundleIndex } from './layout.js';
import { readZipEntries, rewriteZip, writeZipEntries } from './rewrite-zip.js';
import { renderBundleReport } from './render.js';
import { verifyBundle, type BundleReport } from './verify.js';
import { builtInChecks, drawSample, PeopleDirectory } from '@evidentia/audit';
import { parsePeriod } from '@evidentia/time';
import { hashCanonical } from '@evidentia/evidence';
import { accountRecord, createSyntheticLocker, pullRequestRecord, type SyntheticLocker } from '@evidentia/audit/testing';

const GH = 'github:acme';
let synthetic: SyntheticLocker;
let dir: string;
let bundle: string;

const members = (...logins: string[]) => ({ stream: 'github/members', type: 'state' as const, records: logins.map((login) => accountRecord(GH, login, { email: `${login}@acme.example` })) });
const pulls = (...prs: [string, string][]) => ({ stream: 'github/pull_requests', type: 'event' as const, records: prs.map(([id, mergedAt]) => pullRequestRecord(GH, id, { mergedAt, title: `=HYPERLINK("http://evil.example","${id}")` })) });

beforeAll(async () => {
  synthetic = await createSyntheticLocker();
  await synthetic.run('2026-01-05T02:00:00Z', [members('old')]); // #1: the anchor
  await synthetic.run('2026-01-20T02:00:00Z', [members('alice', 'bob'), pulls(['acme/api#1', '2026-01-15T10:00:00Z'])]); // #2: members in effect on 1 Feb
  await synthetic.run('2026-02-05T02:00:00Z', [members('alice', 'bob', 'carol'), pulls(['acme/api#2', '2026-02-03T10:00:00Z'])]); // #3
  await synthetic.run('2026-02-20T02:00:00Z', [members('alice', 'carol')]); // #4
  await synthetic.run('2026-03-02T02:00:00Z', [members('alice'), pulls(['acme/api#3', '2026-02-27T10:00:00Z'])]); // #5: collects a February PR
  dir = await mkdtemp(join(tmpdir(), 'evidentia-bundle-test-'));
  bundle = join(dir, 'bundle.zip');
  await exportBundle({
    locker: synthetic.locker,
    period: parsePeriod('2026-02-01..2026-02-28'),
    out: bundle,
    checks: builtInChecks.map((definition) => ({ definition, settings: definition.settings.parse({}) })),
    people: new PeopleDirectory(),
    // Incidents are configured but were never collected: their criteria get empty populations that say so. AWS's
    // accounts neither: the account criteria's populations (GitHub's accounts) say they may lack them.
    sources: [
      { stream: 'jira/incidents', connector: 'jira', kind: 'incident.record', type: 'event', maxStalenessHours: 36 },
      { stream: 'aws/iam_users', connector: 'aws', kind: 'access.account', type: 'state', maxStalenessHours: 36 },
    ],
    coverage: null,
    createdAt: new Date('2026-03-03T00:00:00Z'),
  });
}, 60_000);

afterAll(async () => synthetic.cleanup());

async function tampered(name: string, edit: (entries: Map<string, Buffer>) => void | Promise<void>): Promise<BundleReport> {
  const file = join(dir, `${name}.zip`);
  await rewriteZip(bundle, file, edit);
  return verifyBundle(file);
}

const codes = (report: BundleReport) => [...new Set(report.problems.map((p) => p.code))].sort();
const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

/** Rewrite index.json to match edited files, as an attacker without the signing key would. */
function rehashIndex(entries: Map<string, Buffer>): void {
  const index = JSON.parse(entries.get('index.json')!.toString()) as BundleIndex;
  index.files = index.files.map((file) => (entries.has(file.path) ? { ...file, sha256: sha256(entries.get(file.path)!), bytes: entries.get(file.path)!.length } : file));
  entries.set('index.json', Buffer.from(JSON.stringify(index)));
}

describe('audit bundle contents', () => {
  it('holds the chain from the manifest before the period and every stream run the period rests on', async () => {
    const entries = await readZipEntries(bundle);
    const index = JSON.parse(entries.get('index.json')!.toString()) as BundleIndex;
    expect(index.manifests).toEqual({ first: 1, last: 5 });
    expect(index.streams.map((s) => `#${s.sequence} ${s.stream}`)).toEqual([
      '#2 github/members',
      '#3 github/members',
      '#3 github/pull_requests',
      '#4 github/members',
      '#5 github/pull_requests',
    ]);
    expect([...entries.keys()].filter((name) => name.startsWith('manifests/')).sort()).toEqual(['manifests/1.json', 'manifests/2.json', 'manifests/3.json', 'manifests/4.json', 'manifests/5.json', 'manifests/chain.jsonl']);
    expect(entries.has('snapshots/5/github/members.jsonl')).toBe(false);
    for (const name of ['README.md', 'verify.mjs', 'public-key.pem', 'records/records.jsonl', 'checks/results.json', 'coverage/coverage.json', 'report.html', 'index.sig', 'populations/CC8.1.csv', 'populations/CC6.1.csv']) {
      expect(entries.has(name)).toBe(true);
    }
    // Every file but the index and its signature is listed with its hash.
    expect(index.files.map((f) => f.path).sort()).toEqual([...entries.keys()].filter((name) => name !== 'index.json' && name !== 'index.sig').sort());
    const population = entries.get('populations/CC8.1.csv')!.toString();
    expect(population).toContain('# source 1: stream github/pull_requests');
    expect(population).toContain(`'=HYPERLINK(""http://evil.example"",""acme/api#3"")`);
    expect(population).not.toContain('acme/api#1');
    const results = JSON.parse(entries.get('checks/results.json')!.toString()) as { checks: { id: string; findings: unknown[] }[] };
    expect(results.checks.find((c) => c.id === 'pull-request-approved')!.findings).toHaveLength(2);
  });

  it('holds an empty population, saying why, for a criterion whose stream is configured but has no item of the period', async () => {
    const entries = await readZipEntries(bundle);
    const empty = entries.get('populations/CC7.3.csv')!.toString();
    expect(empty).toContain('# items: 0: empty because jira/incidents is configured but has never been collected');
    expect(empty.trimEnd().split('\n').at(-1)).toMatch(/^kind,system,stream,key,/);
    expect(entries.get('populations/CC8.1.csv')!.toString()).toMatch(/# items: [1-9]\d*\r?\n/);
  });

  it('says in a population with items which configured stream of its kinds gave it no evidence of the period', async () => {
    const entries = await readZipEntries(bundle);
    const accounts = entries.get('populations/CC6.1.csv')!.toString();
    expect(accounts).toMatch(/# items: [1-9]\d*\r?\n/);
    expect(accounts).toContain('# incomplete: aws/iam_users has no usable evidence of the period, so its access.account items may be missing from this population (aws/iam_users is configured but has never been collected)');
    expect(entries.get('populations/CC8.1.csv')!.toString()).not.toContain('# incomplete:');
  });

  it('holds populations that `sample --population` reads back with their IPE header', async () => {
    const file = join(dir, 'CC8.1.csv');
    await writeFile(file, (await readZipEntries(bundle)).get('populations/CC8.1.csv')!);
    const sample = await drawSample(file, 2, 'audit-2026');
    expect(sample.population).toMatchObject({ items: 2, criterion: 'CC8.1', generatedAt: '2026-03-03T00:00:00.000Z' });
    expect(sample.picks.map((pick) => pick.summary).sort()).toEqual(['acme/api#2', 'acme/api#3'].map((id) => `'=HYPERLINK("http://evil.example","${id}")`));
  });

  it('verifies with the bundled key and with the same key given separately', async () => {
    const report = await verifyBundle(bundle);
    expect(report.problems).toEqual([]);
    expect(report.notes).toEqual([]);
    expect(report.ok).toBe(true);
    expect(report.counts).toMatchObject({ manifests: 5, streams: 5 });
    const given = await verifyBundle(bundle, { publicKey: await readFile(join(synthetic.dir, 'keys', 'signing.pub'), 'utf8') });
    expect(given).toMatchObject({ ok: true, keySource: 'given' });
  });
});

/** `path` taken out of the bundle and its index, and the index signed again with the locker's own key (as its holder could). */
async function leftOutAndResigned(entries: Map<string, Buffer>, path: string): Promise<void> {
  entries.delete(path);
  const index = JSON.parse(entries.get('index.json')!.toString()) as BundleIndex;
  index.files = index.files.filter((file) => file.path !== path);
  const bytes = Buffer.from(JSON.stringify(index));
  entries.set('index.json', bytes);
  entries.set('index.sig', Buffer.from(`${(await synthetic.locker.signDocument(INDEX_SIGNATURE_PURPOSE, bytes)).signature}\n`));
}

describe('tampered bundles', () => {
  it('names an altered derived file', async () => {
    const report = await tampered('altered-results', (entries) => {
      entries.set('checks/results.json', Buffer.from(entries.get('checks/results.json')!.toString().replaceAll('"exception"', '"pass"')));
    });
    expect(codes(report)).toEqual(['file-altered']);
    expect(report.problems[0]!.path).toBe('checks/results.json');
  });

  it('names removed and added files', async () => {
    const report = await tampered('removed-added', (entries) => {
      entries.delete('populations/CC8.1.csv');
      entries.set('populations/extra.csv', Buffer.from('kind,key\n'));
    });
    expect(report.problems.map((p) => [p.code, p.path])).toEqual([
      ['file-added', 'populations/extra.csv'],
      ['file-missing', 'populations/CC8.1.csv'],
    ]);
  });

  it('refuses an index rewritten to match an altered record: the signature and the record set both say so', async () => {
    const report = await tampered('altered-record', (entries) => {
      const lines = entries.get('records/records.jsonl')!.toString().split('\n');
      lines[0] = lines[0]!.replace('"mfa":"enabled"', '"mfa":"disabled"');
      entries.set('records/records.jsonl', Buffer.from(lines.join('\n')));
      rehashIndex(entries);
    });
    expect(codes(report)).toEqual(expect.arrayContaining(['index-signature-invalid', 'record-missing']));
    expect(report.problems.some((p) => p.code === 'record-added' || p.code === 'records-unordered')).toBe(true);
  });

  it('refuses altered provenance and an altered manifest, even with a rehashed index', async () => {
    const provenance = await tampered('altered-provenance', (entries) => {
      const path = 'snapshots/3/github/pull_requests.jsonl';
      entries.set(path, Buffer.from(entries.get(path)!.toString().replace('synthetic-bot', 'someone-else')));
      rehashIndex(entries);
    });
    expect(codes(provenance)).toEqual(['index-signature-invalid', 'snapshot-altered']);
    const manifest = await tampered('altered-manifest', (entries) => {
      entries.set('manifests/3.json', Buffer.from(entries.get('manifests/3.json')!.toString().replace('"status":"complete"', '"status":"partial"')));
      rehashIndex(entries);
    });
    expect(codes(manifest)).toEqual(expect.arrayContaining(['index-signature-invalid', 'manifest-altered']));
  });

  it('notices a manifest cut out of the chain', async () => {
    const report = await tampered('cut-chain', (entries) => {
      const chain = entries.get('manifests/chain.jsonl')!.toString().split('\n').filter((line) => !line.includes('"sequence":3'));
      entries.set('manifests/chain.jsonl', Buffer.from(chain.join('\n')));
      entries.delete('manifests/3.json');
    });
    expect(codes(report)).toEqual(expect.arrayContaining(['chain-broken', 'file-altered', 'file-missing', 'manifest-altered']));
    expect(report.problems.find((p) => p.code === 'chain-broken')!.message).toContain('manifest #4 links to');
  });

  it('names a manifest the chain lists that the bundle and its index both leave out, even with the index signed by the locker key', async () => {
    const report = await tampered('manifest-left-out', (entries) => leftOutAndResigned(entries, 'manifests/1.json'));
    expect(report.problems.map((p) => [p.code, p.path, p.message])).toEqual([
      ['file-missing', 'manifests/1.json', 'manifest #1, which the chain lists, is missing from the bundle and its index: its hash and signature cannot be checked'],
    ]);
    const chainless = await tampered('chain-left-out', (entries) => leftOutAndResigned(entries, 'manifests/chain.jsonl'));
    expect(chainless.problems[0]).toEqual({ code: 'file-missing', path: 'manifests/chain.jsonl', message: 'the bundle and its index have no manifest chain: manifests #1–#5 and their signatures cannot be checked' });
  });

  it('accepts a bundle re-signed with another key only when no key was obtained separately', async () => {
    const attacker = generateKeyPairSync('ed25519');
    const file = join(dir, 'resigned.zip');
    const entries = await readZipEntries(bundle);
    entries.set('public-key.pem', Buffer.from(attacker.publicKey.export({ type: 'spki', format: 'pem' }).toString()));
    entries.delete('index.sig');
    await writeZipEntries(file, entries);
    const withBundledKey = await verifyBundle(file);
    expect(codes(withBundledKey)).toEqual(expect.arrayContaining(['index-unsigned', 'signature-invalid']));
    const withRealKey = await verifyBundle(file, { publicKey: await readFile(join(synthetic.dir, 'keys', 'signing.pub'), 'utf8') });
    expect(codes(withRealKey)).toEqual(expect.arrayContaining(['key-mismatch']));
  });
});

/** The offset of the local header of the entry named `name` (found by its signature and name, never by text the entries hold). */
function localHeaderOf(zip: Buffer, name: string): number {
  for (let at = zip.indexOf(LOCAL_HEADER); at >= 0; at = zip.indexOf(LOCAL_HEADER, at + 1)) {
    const length = zip.readUInt16LE(at + 26);
    if (zip.subarray(at + 30, at + 30 + length).toString('utf8') === name) return at;
  }
  throw new Error(`no local header names ${name}`);
}
const LOCAL_HEADER = Buffer.from([0x50, 0x4b, 0x03, 0x04]);

describe('a zip whose local headers read otherwise than its central directory', () => {
  it('names an entry whose local header gives it another name, which a tool reading the zip front to back would extract as that file', async () => {
    const zip = await readFile(bundle);
    const at = localHeaderOf(zip, 'report.html');
    Buffer.from('report.htm_').copy(zip, at + 30);
    const file = join(dir, 'local-name.zip');
    await writeFile(file, zip);
    const report = await verifyBundle(file);
    expect(report.ok).toBe(false);
    expect(report.problems.map((p) => [p.code, p.path, p.message])).toEqual([
      ['zip-ambiguous', 'report.html', 'its local header names it "report.htm_", so a tool reading the zip front to back would take it for another file'],
    ]);
  });

  it('names an entry whose data does not have the CRC-32 the zip states, which unzip reports as damaged', async () => {
    const zip = await readFile(bundle);
    const at = centralRecordOf(zip, 'report.html') + 16;
    const actual = zip.readUInt32LE(at);
    zip.writeUInt32LE((actual ^ 1) >>> 0, at);
    const file = join(dir, 'bad-crc.zip');
    await writeFile(file, zip);
    const hex = (crc: number) => crc.toString(16).padStart(8, '0');
    expect((await verifyBundle(file)).problems.map((p) => [p.code, p.path, p.message])).toEqual([
      ['zip-ambiguous', 'report.html', `its data has CRC-32 ${hex(actual)}, the zip states ${hex((actual ^ 1) >>> 0)}: unzip and other tools report the entry as damaged, and some refuse to extract it`],
    ]);
  });

  it('names bytes no entry of the central directory lists: a hidden entry a streaming extractor would write', async () => {
    const file = join(dir, 'hidden-entry.zip');
    const entries = await readZipEntries(bundle);
    const hostile = Buffer.from('<p>all controls pass</p>\n');
    await writeZipEntries(file, new Map([['index.html', hostile], ...entries]));
    // Take the first entry out of the central directory only: its local header and data stay where they are.
    const zip = await readFile(file);
    const end = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
    const directory = zip.readUInt32LE(end + 16);
    const record = 46 + zip.readUInt16LE(directory + 28) + zip.readUInt16LE(directory + 30) + zip.readUInt16LE(directory + 32);
    const cut = Buffer.concat([zip.subarray(0, directory), zip.subarray(directory + record)]);
    const eocd = end - record;
    cut.writeUInt16LE(cut.readUInt16LE(eocd + 8) - 1, eocd + 8);
    cut.writeUInt16LE(cut.readUInt16LE(eocd + 10) - 1, eocd + 10);
    cut.writeUInt32LE(cut.readUInt32LE(eocd + 12) - record, eocd + 12);
    await writeFile(file, cut);
    expect(localHeaderOf(cut, 'index.html')).toBe(0);
    const report = await verifyBundle(file);
    expect(report.ok).toBe(false);
    const next = 30 + 'index.html'.length + cut.readUInt16LE(28) + cut.readUInt32LE(18);
    expect(report.problems.map((p) => [p.code, p.path])).toEqual([['zip-ambiguous', null]]);
    expect(report.problems[0]!.message).toMatch(new RegExp(`^bytes 0–${next - 1} of the zip \\(${next} bytes, before README\\.md\\) belong to no entry its central directory lists`));
  });
});

/** The offset of the central directory record of the entry named `name`. */
function centralRecordOf(zip: Buffer, name: string): number {
  const end = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  for (let at = zip.readUInt32LE(end + 16); zip.readUInt32LE(at) === 0x02014b50; at += 46 + zip.readUInt16LE(at + 28) + zip.readUInt16LE(at + 30) + zip.readUInt16LE(at + 32)) {
    if (zip.subarray(at + 46, at + 46 + zip.readUInt16LE(at + 28)).toString('utf8') === name) return at;
  }
  throw new Error(`the central directory lists no ${name}`);
}

describe('garbled bundle files', () => {
  it('fails a bundle naming a file of one endless line (a zip bomb), instead of filling memory with it and stopping on the string it cannot make', async () => {
    const file = join(dir, 'endless-line.zip');
    const entries = await readZipEntries(bundle);
    entries.set('records/records.jsonl', Buffer.alloc(64 * 1024 * 1024 + 1, 'a'));
    await writeZipEntries(file, entries);
    const report = await verifyBundle(file);
    expect(report.problems.map((p) => [p.code, p.path, p.message])).toEqual([
      ['file-unreadable', 'records/records.jsonl', 'records/records.jsonl has a line longer than 67108864 bytes, more than any line of a bundle file; verification stopped there, so the files after it were not checked'],
    ]);
  });

  it('names a bundled public key that is no key, and verifies the rest with the key given separately', async () => {
    const file = join(dir, 'garbled-key.zip');
    const entries = await readZipEntries(bundle);
    entries.set('public-key.pem', Buffer.from('-----BEGIN PUBLIC KEY-----\nnot a key\n-----END PUBLIC KEY-----\n'));
    await writeZipEntries(file, entries);
    const alone = await verifyBundle(file);
    expect(alone.problems.map((p) => [p.code, p.path, p.message])).toEqual([
      ['key-mismatch', 'public-key.pem', expect.stringMatching(/^public-key\.pem cannot be read as a public key \(.*\): give the key obtained separately with --public-key$/)],
    ]);
    const given = await verifyBundle(file, { publicKey: await readFile(join(synthetic.dir, 'keys', 'signing.pub'), 'utf8') });
    expect(given.problems.map((p) => [p.code, p.path])).toEqual([
      ['key-mismatch', 'public-key.pem'],
      ['file-altered', 'public-key.pem'],
    ]);
  });

  it('fails a bundle naming an entry the zip cannot give whole (its data larger than the size the zip states), instead of stopping with an error that names none', async () => {
    const zip = await readFile(bundle);
    zip.writeUInt32LE(10, centralRecordOf(zip, 'manifests/chain.jsonl') + 24);
    const file = join(dir, 'lying-size.zip');
    await writeFile(file, zip);
    const report = await verifyBundle(file);
    expect(report.ok).toBe(false);
    expect(report.problems.map((p) => [p.code, p.path])).toEqual([['file-unreadable', 'manifests/chain.jsonl']]);
    expect(report.problems[0]!.message).toMatch(/^manifests\/chain\.jsonl cannot be read from the zip: too many bytes in the stream\. expected 10\. .*; verification stopped there, so the files after it were not checked$/);
    expect(renderBundleReport(report).trimEnd().split('\n').at(-1)).toBe('bundle FAILED verification: 1 problem(s) from 1 root cause(s)');
  });

  it('reports unreadable lines as problems instead of stopping', async () => {
    const report = await tampered('garbled', (entries) => {
      entries.set('manifests/chain.jsonl', Buffer.from(`not json\n${entries.get('manifests/chain.jsonl')!.toString()}`));
      entries.set('snapshots/3/github/members.jsonl', Buffer.from('{"seq":1,\n'));
    });
    expect(codes(report)).toEqual(expect.arrayContaining(['chain-broken', 'file-altered', 'snapshot-altered']));
  });

  it('names a chain line and an index part of the wrong shape instead of stopping on them', async () => {
    const chain = await tampered('null-chain-line', (entries) => {
      entries.set('manifests/chain.jsonl', Buffer.from(`null\n${entries.get('manifests/chain.jsonl')!.toString()}`));
    });
    expect(chain.problems.map((p) => [p.code, p.path, p.message])).toEqual([
      ['chain-broken', 'manifests/chain.jsonl', 'line 1 of the chain is not a manifest link (sequence, run, hash, previous hash, signature): null'],
      ['file-altered', 'manifests/chain.jsonl', expect.stringMatching(/^manifests\/chain\.jsonl hashes to /)],
    ]);
    let streams = 0;
    const index = await tampered('null-index-stream', (entries) => {
      const parsed = JSON.parse(entries.get('index.json')!.toString()) as BundleIndex;
      streams = (parsed.streams as unknown[]).push(null) - 1;
      entries.set('index.json', Buffer.from(JSON.stringify(parsed)));
    });
    expect(index.problems.map((p) => [p.code, p.message])).toEqual([
      ['index-signature-invalid', expect.any(String)],
      ['index-invalid', `index.json is not a bundle index: streams[${streams}] is not a stream run (sequence, stream): null`],
    ]);
  });
});

describe('a record resting on a response an earlier run read', () => {
  it('carries that raw response, from before the period, though no included snapshot entry names it', async () => {
    const earlier = await createSyntheticLocker();
    try {
      const AWS = 'aws:acme-prod';
      const users = (...specs: [string, string[]?][]) => ({ stream: 'aws/iam_users', type: 'state' as const, records: specs.map(([login, sources]) => ({ ...accountRecord(AWS, login, { email: `${login}@acme.example` }), ...(sources ? { sources } : {}) })) });
      await earlier.run('2026-01-05T02:00:00Z', [users(['alice'], ['zed'])]); // #1: the anchor, none of its streams included
      await earlier.run('2026-01-20T02:00:00Z', [users(['alice'], ['carol'])]); // #2: in effect on 1 February
      // The first run's one response lists alice and zed; alice's February record names it again (as an unchanged AWS key listing would be).
      const january = hashCanonical(['user:alice', 'user:zed']).hash;
      await earlier.run('2026-02-05T02:00:00Z', [users(['alice', [january]], ['bob'])]);
      const file = join(dir, 'earlier-source.zip');
      const summary = await exportBundle({ locker: earlier.locker, period: parsePeriod('2026-02-01..2026-02-28'), out: file, checks: [], people: new PeopleDirectory(), coverage: null, createdAt: new Date('2026-03-03T00:00:00Z') });
      expect(summary.records).toBeGreaterThan(0);
      const entries = await readZipEntries(file);
      expect(entries.get(`objects/${january}`)?.toString()).toBe(JSON.stringify(['user:alice', 'user:zed']));
      const alice = entries.get('records/records.jsonl')!.toString().split('\n').filter((line) => line.includes('"accountId":"alice"'));
      // Two versions of alice (the one in effect on 1 February and February's); only February's names the first run's response.
      expect(alice.map((line) => (JSON.parse(line) as { sources: string[] }).sources.includes(january)).sort()).toEqual([false, true]);
      // No included run's snapshot entries name it: only the record does.
      const named = [...entries].filter(([path]) => path.startsWith('snapshots/')).map(([, bytes]) => bytes.toString());
      expect(named.some((text) => text.includes(january))).toBe(false);
      expect(await verifyBundle(file)).toMatchObject({ ok: true, problems: [], notes: [] });
    } finally {
      await earlier.cleanup();
    }
  });

  it('says which records name a response the locker does not hold, without failing the bundle', async () => {
    const synthetic = await createSyntheticLocker();
    try {
      const AWS = 'aws:acme-prod';
      // The writer refuses a record naming a response it never stored, but a locker written before it did not: such a
      // record is made here with a response a run the bundle leaves out stored (another stream's inventory, superseded
      // before the period), whose object is then removed, so the locker holds no copy for the bundle to carry.
      const archive = (key: string) => ({ stream: 'synthetic/archive', type: 'state' as const, records: [accountRecord('synthetic:archive', key)] });
      await synthetic.run('2025-12-05T02:00:00Z', [archive('archived-item')]);
      const never = hashCanonical(['user:archived-item']).hash; // the archive's snapshot: the keys it lists
      const users = { stream: 'aws/iam_users', type: 'state' as const, records: [{ ...accountRecord(AWS, 'alice', { email: 'alice@acme.example' }), sources: [never] }, accountRecord(AWS, 'bob', { email: 'bob@acme.example' })] };
      await synthetic.run('2026-01-05T02:00:00Z', [users, archive('current-item')]); // the anchor
      await synthetic.run('2026-02-05T02:00:00Z', [users]);
      await rm(join(synthetic.dir, 'objects', never.slice(0, 2), never.slice(2)));
      const file = join(dir, 'never-stored-source.zip');
      await exportBundle({ locker: synthetic.locker, period: parsePeriod('2026-02-01..2026-02-28'), out: file, checks: [], people: new PeopleDirectory(), coverage: null, createdAt: new Date('2026-03-03T00:00:00Z') });
      const entries = await readZipEntries(file);
      expect(entries.has(`objects/${never}`)).toBe(false);
      const alice = entries.get('records/records.jsonl')!.toString().split('\n').find((line) => line.includes('"accountId":"alice"'))!;
      const report = await verifyBundle(file);
      expect(report).toMatchObject({ ok: true, problems: [] });
      expect(report.notes).toEqual([expect.stringContaining(`1 record(s) name a source response the bundle does not carry (1 source name(s) in all; e.g. record ${createHash('sha256').update(alice).digest('hex')} names ${never})`)]);
      expect(renderBundleReport(report)).toMatch(/^note: 1 record\(s\) name a source response the bundle does not carry .*\nbundle verified: no problems\n$/m);
    } finally {
      await synthetic.cleanup();
    }
  });
});
