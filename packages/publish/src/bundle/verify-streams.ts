/**
 * The evidence of each stream run a bundle includes, against its signed
 * manifest: the snapshot entries are re-hashed from their provenance and body
 * hash and their Merkle root compared; the record set object is parsed as it
 * streams, its Merkle root compared, and each of its hashes looked up among
 * the bundle's records. Afterwards, records no set lists and raw responses
 * no snapshot entry has are named.
 */
import { canonicalJson, HASH_PATTERN } from '@evidentia/evidence';
import { MerkleBuilder, snapshotEntryHash, type ManifestStream } from '@evidentia/locker';
import { PATHS, type IncludedStream } from './layout.js';
import { setMembers } from './record-table.js';
import type { BundleScope } from './verify-scope.js';

const EXAMPLES = 3;
const some = (items: string[]) => `${items.slice(0, EXAMPLES).join(', ')}${items.length > EXAMPLES ? ` and ${items.length - EXAMPLES} more` : ''}`;

/** Whether a file the evidence needs is there; a missing one the index lists is reported by the file check instead. */
function present(scope: BundleScope, path: string, what: string): boolean {
  if (scope.zip.has(path)) return true;
  if (!scope.index.files.some((file) => file.path === path)) scope.problem('file-missing', path, `${what} is missing from the bundle and its index`);
  return false;
}

async function checkSnapshots(scope: BundleScope, included: IncludedStream, stream: ManifestStream, bodies: Set<string>): Promise<void> {
  const path = PATHS.snapshots(included.sequence, included.stream);
  if (!present(scope, path, `the snapshot entries of ${included.stream} in manifest #${included.sequence}`)) return;
  const tree = new MerkleBuilder();
  let count = 0;
  const altered: number[] = [];
  for await (const line of scope.zip.lines(path)) {
    if (!line) continue;
    count++;
    let entry: { seq: number; entryHash: string; bodyHash: string; provenance: unknown };
    let hash: string;
    try {
      entry = JSON.parse(line) as typeof entry;
      hash = snapshotEntryHash(canonicalJson(entry.provenance), entry.bodyHash);
    } catch {
      altered.push(count);
      continue;
    }
    if (hash !== entry.entryHash || entry.seq !== count) altered.push(count);
    tree.push(hash);
    bodies.add(entry.bodyHash);
  }
  if (altered.length > 0) scope.problem('snapshot-altered', path, `snapshot entries #${some(altered.map(String))} do not hash to the entry hash they state (or are out of order)`);
  if (count !== stream.snapshotCount || tree.root() !== stream.snapshotRoot) {
    scope.problem('snapshot-altered', path, `${count} snapshot entries with root ${tree.root()}, but manifest #${included.sequence} commits to ${stream.snapshotCount} with root ${stream.snapshotRoot}`);
  }
}

async function checkRecordSet(scope: BundleScope, included: IncludedStream, stream: ManifestStream): Promise<void> {
  const path = PATHS.object(stream.recordSet);
  if (!present(scope, path, `the record set of ${included.stream} in manifest #${included.sequence}`)) return;
  const tree = new MerkleBuilder();
  const missing: string[] = [];
  let count = 0;
  try {
    for await (const hash of setMembers(scope.zip.chunks(path))) {
      if (!HASH_PATTERN.test(hash)) throw new Error(`"${hash.slice(0, 70)}" is not a record hash`);
      count++;
      tree.push(hash);
      if (!scope.records.mark(hash)) missing.push(hash);
    }
  } catch (error) {
    scope.problem('record-set-altered', path, `the record set of ${included.stream} (manifest #${included.sequence}) cannot be read: ${(error as Error).message}`);
    return;
  }
  if (count !== stream.recordCount || tree.root() !== stream.recordRoot) {
    scope.problem('record-set-altered', path, `the record set lists ${count} records with root ${tree.root()}, but manifest #${included.sequence} commits to ${stream.recordCount} with root ${stream.recordRoot}`);
  }
  if (missing.length > 0) scope.problem('record-missing', PATHS.records, `${missing.length} record(s) of ${included.stream} (manifest #${included.sequence}) are missing: ${some(missing)}`);
}

export async function checkIncludedStreams(scope: BundleScope): Promise<void> {
  const bodies = new Set<string>();
  const setsDone = new Set<string>();
  for (const included of scope.index.streams) {
    const manifest = scope.manifests.get(included.sequence);
    const stream = manifest?.streams.find((s) => `${s.instance}/${s.stream}` === included.stream);
    if (!stream) {
      scope.problem('manifest-altered', PATHS.manifest(included.sequence), `manifest #${included.sequence} is missing or has no stream ${included.stream}, which the index includes`);
      continue;
    }
    await checkSnapshots(scope, included, stream, bodies);
    if (!setsDone.has(stream.recordSet)) {
      setsDone.add(stream.recordSet);
      await checkRecordSet(scope, included, stream);
    }
  }
  const added = [...scope.records.unmarked()];
  if (added.length > 0) scope.problem('record-added', PATHS.records, `${added.length} record(s) are listed by no included record set: ${some(added)}`);
  const listed = new Set(scope.index.files.map((file) => file.path));
  const lost = [...bodies].filter((hash) => !scope.zip.has(PATHS.object(hash)) && !listed.has(PATHS.object(hash)));
  if (lost.length > 0) scope.problem('object-missing', null, `${lost.length} raw response(s) the snapshot entries name are missing: ${some(lost)}`);
}
