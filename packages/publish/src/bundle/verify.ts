/**
 * `verify --bundle`: checks an audit bundle with nothing but the bundle (and,
 * better, a public key obtained separately). The signed index vouches for
 * every file's SHA-256, so any altered, missing or added file is named; the
 * signed manifests vouch for the evidence itself, so the chain, each
 * signature, and the Merkle roots of every included stream run's records and
 * snapshot entries are recomputed from the files; document evidence,
 * exception acceptances and access reviews are checked against their own signed chains. Memory stays bounded: files
 * stream through their checks, and records cost 33 bytes each. Manifests
 * signed after a key rotation are checked with the key the bundled rotation
 * records hand over to, followed from the trusted key, and the index with the
 * newest of them (the key in effect when the bundle was made).
 */
import { createHash } from 'node:crypto';
import { sourcesOfStoredRecord } from '@evidentia/evidence';
import { documentSignedBy, followRotations, keyInEffect, parseManifest, sealedAfterRetirement, parsePublicKey, publicKeyId, signatureValid, type KeyChain } from '@evidentia/locker';
import { INDEX_SIGNATURE_PURPOSE, PATHS, type BundleIndex, type ChainLine, type IncludedStream } from './layout.js';
import { RecordTable } from './record-table.js';
import { checkCheckpoints } from './verify-checkpoints.js';
import { checkSignedEntries } from './verify-entries.js';
import { checkIncludedStreams } from './verify-streams.js';
import type { BundleProblemCode, BundleScope } from './verify-scope.js';
import { BundleEntryError, BundleZip } from './zip-reader.js';

export type { BundleProblemCode };

export interface BundleProblem {
  code: BundleProblemCode;
  /** The file the problem is in, when there is one. */
  path: string | null;
  message: string;
}

export interface BundleReport {
  ok: boolean;
  problems: BundleProblem[];
  /** What the verifier found that is not a problem but limits what the bundle shows (records whose source response it does not carry). */
  notes: string[];
  keyId: string | null;
  keySource: 'given' | 'bundle';
  /** checkpoints: the witness checkpoints the bundle carries (0 when its locker had no witness). */
  /** documents, acceptances, accessReviews: the signed entries of each chain the bundle carries. */
  counts: { files: number; manifests: number; streams: number; records: number; objects: number; checkpoints: number; documents: number; acceptances: number; accessReviews: number };
}

/** The trusted key followed through the bundled rotation records. */
async function keyChainOf(zip: BundleZip, pem: string, problem: BundleScope['problem']): Promise<KeyChain> {
  const paths = [...zip.entries.keys()].filter((name) => name.startsWith(PATHS.rotations)).sort();
  const files = [];
  for (const path of paths) files.push({ path, text: (await zip.read(path, 65_536)).toString('utf8') });
  const keys = followRotations(parsePublicKey(pem), files);
  for (const message of keys.problems) problem('signature-invalid', null, message);
  return keys;
}

const isChainLine = (value: unknown): value is ChainLine => {
  const line = value as ChainLine;
  return typeof value === 'object' && value !== null && Number.isInteger(line.sequence) && typeof line.runId === 'string' && typeof line.hash === 'string' && (line.previous === null || typeof line.previous === 'string') && typeof line.signature === 'string';
};

/** What is wrong with the parsed index.json's shape, or null: the checks read its manifests, streams and files as these types. */
function indexShapeProblem(index: unknown): string | null {
  if (typeof index !== 'object' || index === null || Array.isArray(index)) return 'it is not a JSON object';
  const { manifests, streams, files, keyId } = index as Partial<BundleIndex>;
  if (typeof keyId !== 'string') return 'it names no key (keyId)';
  if (typeof manifests !== 'object' || manifests === null || !Number.isInteger(manifests.first) || !Number.isInteger(manifests.last)) return 'it names no first and last manifest (manifests)';
  if (!Array.isArray(streams)) return 'it lists no included stream runs (streams)';
  const stream = streams.findIndex((item: IncludedStream | null) => typeof item !== 'object' || item === null || !Number.isInteger(item.sequence) || typeof item.stream !== 'string');
  if (stream >= 0) return `streams[${stream}] is not a stream run (sequence, stream): ${JSON.stringify(streams[stream]).slice(0, 80)}`;
  if (!Array.isArray(files)) return 'it lists no files (files)';
  const file = files.findIndex((item: BundleIndex['files'][number] | null) => typeof item !== 'object' || item === null || typeof item.path !== 'string' || typeof item.sha256 !== 'string');
  if (file >= 0) return `files[${file}] is not a file (path, sha256): ${JSON.stringify(files[file]).slice(0, 80)}`;
  return null;
}

/** Check the chain file and each manifest it lists with the key in effect at it; returns the chain's lines. */
async function checkChain(scope: BundleScope, keys: KeyChain): Promise<ChainLine[]> {
  const { zip, index } = scope;
  const chain: ChainLine[] = [];
  let number = 0;
  for await (const line of zip.lines(PATHS.chain)) {
    number++;
    if (!line) continue;
    let link: unknown;
    try {
      link = JSON.parse(line);
    } catch {
      scope.problem('chain-broken', PATHS.chain, `a line of the chain is not JSON: ${line.slice(0, 80)}`);
      continue;
    }
    if (isChainLine(link)) chain.push(link);
    else scope.problem('chain-broken', PATHS.chain, `line ${number} of the chain is not a manifest link (sequence, run, hash, previous hash, signature): ${line.slice(0, 80)}`);
  }
  if (chain[0]?.sequence !== index.manifests.first || chain.at(-1)?.sequence !== index.manifests.last) {
    scope.problem('chain-broken', PATHS.chain, `the chain lists manifests #${chain[0]?.sequence ?? '?'}–#${chain.at(-1)?.sequence ?? '?'}, the index #${index.manifests.first}–#${index.manifests.last}`);
  }
  chain.forEach((line, position) => {
    const prior = chain[position - 1];
    if (prior && (line.sequence !== prior.sequence + 1 || line.previous !== prior.hash)) {
      scope.problem('chain-broken', PATHS.chain, `manifest #${line.sequence} links to ${line.previous ?? 'nothing'}, but the manifest before it is #${prior.sequence} with hash ${prior.hash}`);
    }
  });
  for (const line of chain) {
    const path = PATHS.manifest(line.sequence);
    if (!zip.has(path)) {
      // One the index lists is named by the file check; one it leaves out too would leave the chain's link unchecked.
      if (!index.files.some((file) => file.path === path)) scope.problem('file-missing', path, `manifest #${line.sequence}, which the chain lists, is missing from the bundle and its index: its hash and signature cannot be checked`);
      continue;
    }
    const bytes = await zip.read(path);
    if (zip.digests.get(path)?.sha256 !== line.hash) {
      scope.problem('manifest-altered', path, `manifest #${line.sequence} does not hash to ${line.hash}, the hash the chain links`);
      continue;
    }
    const epoch = keyInEffect(keys, line.sequence);
    const { key } = epoch;
    if (!signatureValid(bytes, line.signature, key)) scope.problem('signature-invalid', path, `the signature of manifest #${line.sequence} does not verify with key ${key.keyId}`);
    try {
      const manifest = parseManifest(bytes);
      if (manifest.sequence !== line.sequence || manifest.runId !== line.runId || manifest.previous !== line.previous) {
        scope.problem('manifest-altered', path, `manifest #${line.sequence}: its sequence, run or previous hash differ from the chain`);
      }
      if (manifest.keyId !== key.keyId) scope.problem('signature-invalid', path, `manifest #${line.sequence} names signing key ${manifest.keyId}, not ${key.keyId}`);
      const retired = sealedAfterRetirement(keys, epoch, manifest.finishedAt);
      if (retired) scope.problem('signature-invalid', path, `manifest #${line.sequence}: ${retired}`);
      scope.manifests.set(line.sequence, manifest);
    } catch {
      scope.problem('manifest-altered', path, `manifest #${line.sequence} is not an evidentia manifest`);
    }
  }
  return chain;
}

/**
 * The records' hashes, and the records naming a source response the bundle
 * does not carry: the export carries every one its locker held, so such a
 * source was never stored (a connector may name one). Not a problem, since
 * the signed manifests and index vouch for what is here, but the auditor is
 * told which records cannot be traced to a raw response in this bundle.
 */
async function loadRecords(scope: BundleScope, notes: string[]): Promise<void> {
  let unordered = 0;
  let untraced = 0;
  let missing = 0;
  let example: string | null = null;
  for await (const line of scope.zip.lines(PATHS.records)) {
    if (!line) continue;
    const hash = createHash('sha256').update(line, 'utf8').digest('hex');
    if (!scope.records.append(hash)) unordered++;
    const absent = sourcesOfStoredRecord(line).filter((source) => !scope.zip.has(PATHS.object(source)));
    if (absent.length === 0) continue;
    untraced++;
    missing += absent.length;
    example ??= `record ${hash} names ${absent[0]}`;
  }
  if (unordered > 0) scope.problem('records-unordered', PATHS.records, `${unordered} record line(s) are out of hash order or repeated`);
  if (untraced > 0) {
    notes.push(
      `${untraced} record(s) name a source response the bundle does not carry (${missing} source name(s) in all; e.g. ${example}): the locker that exported the bundle did not hold them, so those records cannot be traced to a raw response here`,
    );
  }
}

async function checkFiles(scope: BundleScope): Promise<void> {
  const { zip, index } = scope;
  const listed = new Set(index.files.map((file) => file.path));
  for (const name of zip.duplicates) scope.problem('file-added', name, `${name} occurs more than once in the zip`);
  for (const name of zip.entries.keys()) {
    if (!listed.has(name) && name !== PATHS.index && name !== PATHS.signature) scope.problem('file-added', name, `${name} is not listed in the signed index`);
  }
  for (const file of index.files) {
    if (!zip.has(file.path)) {
      scope.problem('file-missing', file.path, `${file.path} is listed in the index but missing from the bundle`);
      continue;
    }
    const digest = await zip.digest(file.path);
    if (digest.sha256 !== file.sha256) scope.problem('file-altered', file.path, `${file.path} hashes to ${digest.sha256}, the index says ${file.sha256}`);
    if (file.path.startsWith('objects/') && file.path !== `objects/${digest.sha256}`) {
      scope.problem('file-altered', file.path, `${file.path} is named by a hash its content does not have (${digest.sha256})`);
    }
  }
}

async function readIndex(zip: BundleZip, keys: KeyChain, problem: BundleScope['problem']): Promise<BundleIndex | null> {
  if (!zip.has(PATHS.index)) {
    problem('index-invalid', PATHS.index, 'the bundle has no index.json');
    return null;
  }
  const bytes = await zip.read(PATHS.index);
  if (!zip.has(PATHS.signature)) problem('index-unsigned', PATHS.signature, 'index.json is not signed (no index.sig): the file hashes it lists prove nothing against deliberate change');
  else {
    const problemOfSignature = indexSignatureProblem(keys, bytes, (await zip.read(PATHS.signature, 4096)).toString('utf8').trim());
    if (problemOfSignature) problem('index-signature-invalid', PATHS.signature, problemOfSignature);
  }
  let index: unknown;
  try {
    index = JSON.parse(bytes.toString('utf8'));
  } catch {
    problem('index-invalid', PATHS.index, 'index.json is not a bundle index: it is not JSON');
    return null;
  }
  const shape = indexShapeProblem(index);
  if (shape === null) return index as BundleIndex;
  problem('index-invalid', PATHS.index, `index.json is not a bundle index: ${shape}`);
  return null;
}

/**
 * The index is signed when the bundle is made, by the key in effect then: the
 * newest key of the chain the bundle carries. A retired key's signature would
 * let whoever kept it vouch for altered populations, results or report.
 */
function indexSignatureProblem(keys: KeyChain, bytes: Buffer, signature: string): string | null {
  const newest = keys.epochs.at(-1)!;
  if (documentSignedBy(newest.key, INDEX_SIGNATURE_PURPOSE, bytes, signature)) return null;
  const retired = keys.epochs.findIndex(({ key }) => documentSignedBy(key, INDEX_SIGNATURE_PURPOSE, bytes, signature));
  if (retired < 0) return 'the signature of index.json does not verify with the public key: the index or the signature was changed';
  const { key, rotatedAt } = keys.epochs[retired + 1]!;
  return `index.json is signed with key ${keys.epochs[retired]!.key.keyId}, which was retired at ${rotatedAt!} (handed over to key ${key.keyId}): the index must be signed by key ${newest.key.keyId}, in effect when the bundle was made`;
}

const hex = (crc: number) => crc.toString(16).padStart(8, '0');

export async function verifyBundle(file: string, options: { publicKey?: string } = {}): Promise<BundleReport> {
  const zip = await BundleZip.open(file);
  const problems: BundleProblem[] = [];
  const notes: string[] = [];
  let checkpoints = 0;
  let entries = { documents: 0, acceptances: 0, accessReviews: 0 };
  const problem: BundleScope['problem'] = (code, path, message) => problems.push({ code, path, message });
  const report = (keyId: string | null, scope: BundleScope | null): BundleReport => ({
    ok: problems.length === 0,
    problems,
    notes,
    keyId,
    keySource: options.publicKey ? 'given' : 'bundle',
    counts: {
      files: zip.entries.size,
      manifests: scope?.manifests.size ?? 0,
      streams: scope?.index.streams.length ?? 0,
      records: scope?.records.size ?? 0,
      objects: [...zip.entries.keys()].filter((name) => name.startsWith('objects/')).length,
      checkpoints,
      ...entries,
    },
  });
  for (const { path, message } of zip.layoutProblems) problem('zip-ambiguous', path, message);
  let keyId: string | null = null;
  let scope: BundleScope | null = null;
  try {
    let bundled = zip.has(PATHS.publicKey) ? (await zip.read(PATHS.publicKey, 65_536)).toString('utf8') : null;
    let bundledId: string | null = null;
    if (bundled !== null) {
      try {
        bundledId = publicKeyId(bundled);
      } catch (error) {
        problem('key-mismatch', PATHS.publicKey, `${PATHS.publicKey} cannot be read as a public key (${(error as Error).message})${options.publicKey ? '' : ': give the key obtained separately with --public-key'}`);
        bundled = null;
      }
    }
    const pem = options.publicKey ?? bundled;
    if (!pem) {
      if (bundledId === null && !zip.has(PATHS.publicKey)) problem('file-missing', PATHS.publicKey, 'the bundle has no public key and none was given with --public-key');
      return report(null, null);
    }
    keyId = publicKeyId(pem);
    if (options.publicKey && bundledId !== null && bundledId !== keyId) {
      problem('key-mismatch', PATHS.publicKey, `the bundle's public key (${bundledId}) is not the key given (${keyId})`);
    }
    const keys = await keyChainOf(zip, pem, problem);
    const index = await readIndex(zip, keys, problem);
    if (!index) return report(keyId, null);
    if (index.keyId !== keyId) problem('key-mismatch', PATHS.index, `the index names key ${index.keyId}, the key used is ${keyId}`);
    scope = { zip, index, manifests: new Map(), records: new RecordTable(), problem };
    const chain = zip.has(PATHS.chain) ? await checkChain(scope, keys) : [];
    if (!zip.has(PATHS.chain) && !index.files.some((file) => file.path === PATHS.chain)) {
      problem('file-missing', PATHS.chain, `the bundle and its index have no manifest chain: manifests #${index.manifests.first}–#${index.manifests.last} and their signatures cannot be checked`);
    }
    if (zip.has(PATHS.records)) await loadRecords(scope, notes);
    await checkIncludedStreams(scope);
    const signed = await checkSignedEntries(scope, keys);
    entries = signed.counts;
    checkpoints = await checkCheckpoints(scope, chain, keys, signed.links);
    await checkFiles(scope);
    for (const { path, stated, actual } of zip.crcMismatches) {
      problem('zip-ambiguous', path, `its data has CRC-32 ${hex(actual)}, the zip states ${hex(stated)}: unzip and other tools report the entry as damaged, and some refuse to extract it`);
    }
    return report(keyId, scope);
  } catch (error) {
    // An entry the zip cannot give whole ends the checks there: the bundle fails, naming it, and what was found before it.
    if (!(error instanceof BundleEntryError)) throw error;
    problem('file-unreadable', error.path, `${error.message}; verification stopped there, so the files after it were not checked`);
    return report(keyId, scope);
  } finally {
    zip.close();
  }
}
