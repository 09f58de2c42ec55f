/**
 * One record's verification path, recomputed from the locker with the
 * locker's own functions (those `evidentia verify` uses): the stored JSON
 * against the record hash, the record set of the stream run that observed it
 * (membership, count and Merkle root against the manifest), the stream run's
 * snapshot entries (each re-hashed, their Merkle root against the manifest),
 * each raw response against its body hash, the manifest's bytes against its
 * hash, its link to the previous manifest, and its signature with the key in
 * effect at its sequence (the locker's key, followed through its rotations).
 * The record is looked up in the period's population of its kind, so a page
 * can show only what the chosen period holds.
 */
import { createHash } from 'node:crypto';
import { populationItemOf, type PopulationItem } from '@evidentia/audit';
import { followRotations, keyInEffect, type Locker, type Manifest, type ManifestEntry, type ManifestStream, MerkleBuilder, parseManifest, parsePublicKey, signatureValid, snapshotEntryHash, type SnapshotEntry } from '@evidentia/locker';
import type { Period } from '@evidentia/time';
import { objectFault } from './object-fault.js';

export interface PathCheck {
  /** What is checked, in a few words. */
  step: string;
  expected: string;
  found: string;
  ok: boolean;
}

export interface RecordPath {
  item: PopulationItem;
  /** The stored canonical JSON (what the hash covers); null when the record set does not list it. */
  json: string | null;
  /** The snapshot entries of the observing stream run whose body is one of the record's sources. */
  snapshots: SnapshotEntry[];
  /** Sources no entry of that stream run names (read by an earlier run: an unchanged response, or one the connector rested on again, such as an AWS key listing). */
  earlierSources: string[];
  manifest: ManifestEntry | null;
  stream: ManifestStream | null;
  checks: PathCheck[];
}

const sha256 = (bytes: string | Buffer) => createHash('sha256').update(bytes).digest('hex');
/** What a failed read found, without the locker's file paths: the object missing, unreadable (there, but it cannot be read) or altered. */
function unreadable(error: Error): string {
  const fault = objectFault(error);
  if (!fault) return `unreadable: ${error.message}`;
  if (fault.state === 'missing') return 'missing from the locker';
  return fault.state === 'unreadable' ? 'unreadable: the locker cannot read it' : 'altered: its stored bytes hash to something else';
}
const check = (step: string, expected: string, found: string): PathCheck => ({ step, expected, found, ok: expected === found });

/** The period's item of `kind` with this record hash, or null: the record looked up by its hash, then its item's row (no pass over the population). */
export function findItem(locker: Locker, period: Period, kind: string, hash: string): Promise<PopulationItem | null> {
  return populationItemOf(locker, { period, kind }, hash);
}

async function recordSetChecks(locker: Locker, item: PopulationItem, stream: ManifestStream, checks: PathCheck[]): Promise<string | null> {
  const tree = new MerkleBuilder();
  let count = 0;
  let json: string | null = null;
  for await (const record of locker.setRecords([stream.recordSet])) {
    tree.push(record.hash);
    count++;
    if (record.hash === item.recordHash) json = record.json;
  }
  checks.push(check('the stored record hashes to its hash', item.recordHash, json === null ? 'not in the record set' : sha256(json)));
  checks.push(check(`the record set ${stream.recordSet} lists the record`, 'listed', json === null ? 'not listed' : 'listed'));
  checks.push(check('the record set’s Merkle root and count match the manifest', `${stream.recordRoot} (${stream.recordCount})`, `${tree.root()} (${count})`));
  return json;
}

async function snapshotChecks(locker: Locker, item: PopulationItem, stream: ManifestStream, checks: PathCheck[]): Promise<SnapshotEntry[]> {
  const tree = new MerkleBuilder();
  const altered: number[] = [];
  const mine: SnapshotEntry[] = [];
  let count = 0;
  for await (const entry of locker.snapshotEntries(item.runId, item.stream)) {
    const hash = snapshotEntryHash(JSON.stringify(entry.provenance), entry.bodyHash);
    if (hash !== entry.entryHash) altered.push(entry.seq);
    tree.push(hash);
    count++;
    if (item.snapshotHashes.includes(entry.bodyHash)) mine.push(entry);
  }
  checks.push(check('each snapshot entry hashes to its entry hash', 'all', altered.length === 0 ? 'all' : `not entries ${altered.join(', ')}`));
  checks.push(check('the snapshot entries’ Merkle root and count match the manifest', `${stream.snapshotRoot} (${stream.snapshotCount})`, `${tree.root()} (${count})`));
  for (const body of item.snapshotHashes) {
    const found = await locker.readObject(body).then(sha256, unreadable);
    checks.push(check(`the raw response ${body.slice(0, 12)}… hashes to its body hash`, body, found));
  }
  return mine;
}

function manifestChecks(entries: ManifestEntry[], entry: ManifestEntry, bytes: Buffer, manifest: Manifest, signer: ReturnType<typeof keyInEffect>, checks: PathCheck[]): void {
  checks.push(check(`manifest #${entry.sequence} hashes to its hash`, entry.hash, sha256(bytes)));
  const previous = entries.find((other) => other.sequence === entry.sequence - 1);
  checks.push(check('it links to the previous manifest', previous ? previous.hash : 'none (the first manifest)', entry.previous ?? 'none (the first manifest)'));
  checks.push(check('it is signed by the key in effect at its sequence', signer.key.keyId, manifest.keyId));
  checks.push(check('the signature verifies with that key', 'valid', signatureValid(bytes, entry.signature, signer.key) ? 'valid' : 'invalid'));
}

export async function recordPath(locker: Locker, item: PopulationItem): Promise<RecordPath> {
  const checks: PathCheck[] = [];
  const path: RecordPath = { item, json: null, snapshots: [], earlierSources: [], manifest: null, stream: null, checks };
  const entries = await locker.manifests();
  const entry = entries.find((candidate) => candidate.runId === item.runId);
  if (!entry) {
    checks.push(check(`a signed manifest commits to run ${item.runId}`, 'a manifest', 'none'));
    return path;
  }
  path.manifest = entry;
  let bytes: Buffer;
  let manifest: Manifest;
  try {
    bytes = await locker.readObject(entry.hash);
    manifest = parseManifest(bytes);
  } catch (error) {
    checks.push(check(`manifest #${entry.sequence} can be read`, 'an evidentia manifest', (error as Error).message));
    return path;
  }
  path.stream = manifest.streams.find((stream) => `${stream.instance}/${stream.stream}` === item.stream) ?? null;
  if (path.stream) {
    path.json = await recordSetChecks(locker, item, path.stream, checks);
    path.snapshots = await snapshotChecks(locker, item, path.stream, checks);
    path.earlierSources = item.snapshotHashes.filter((body) => !path.snapshots.some((snapshot) => snapshot.bodyHash === body));
  } else {
    checks.push(check(`manifest #${entry.sequence} holds the stream ${item.stream}`, item.stream, 'absent'));
  }
  const chain = followRotations(parsePublicKey(await locker.publicKey()), await locker.keyRotations());
  manifestChecks(entries, entry, bytes, manifest, keyInEffect(chain, entry.sequence), checks);
  return path;
}
