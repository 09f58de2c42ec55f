/**
 * Evidence of runs that the tables no longer hold. A run's manifest object is
 * written just before its manifests row, in the run's commit, so a manifest
 * in objects/ that no row names is either a commit cut short in that moment
 * (its run has a row and it is the chain's next link, or the next run has
 * sealed that run as interrupted) or runs deleted from the tables. A locker
 * with no manifest at all is new, unless objects nothing names say that runs
 * were there: a wiped locker must not verify as an empty one.
 */
import { parseManifest } from './manifest.js';
import type { ObjectStore } from './objects.js';
import type { Manifest } from './types.js';
import type { VerifyScope } from './verify-scope.js';

/** The tables of signed entries, which write objects of their own (catalog text, documents and their files, review and log entries). */
const ENTRY_CHAINS = ['catalog_text_imports', 'document_entries', 'exception_acceptances', 'access_review_entries', 'portal_log_entries'] as const;

/** Canonical JSON sorts keys: every manifest object starts so, which spares parsing other blobs. */
const MANIFEST_START = Buffer.from('{"collectorVersion":');

function manifestIn(objects: ObjectStore, hash: string): Manifest | null {
  const loaded = objects.load(hash);
  if (loaded.state !== 'ok' || !loaded.bytes.subarray(0, MANIFEST_START.length).equals(MANIFEST_START)) return null;
  try {
    return parseManifest(loaded.bytes);
  } catch {
    return null;
  }
}

/** Run after the object check, which lists the objects on disk and those something names. */
export function checkUnlistedManifests(scope: VerifyScope, manifestCount: number): void {
  const { db } = scope;
  const head = db.prepare('SELECT sequence, hash FROM manifests ORDER BY sequence DESC LIMIT 1').get() as { sequence: number; hash: string } | undefined;
  const hasRun = db.prepare('SELECT 1 FROM runs WHERE id = ?').pluck();
  const sealed = db.prepare('SELECT 1 FROM manifests WHERE run_id = ?').pluck();
  const unreferenced = db
    .prepare('SELECT hash FROM temp.v_objects o WHERE NOT EXISTS (SELECT 1 FROM temp.v_object_refs r WHERE r.hash = o.hash)')
    .pluck()
    .iterate() as IterableIterator<string>;
  let strays = 0;
  let deleted = 0;
  for (const hash of unreferenced) {
    strays++;
    const manifest = manifestIn(scope.objects, hash);
    // A run sealed since (as interrupted) explains a manifest its cut-short commit left behind.
    if (!manifest || sealed.get(manifest.runId)) continue;
    const label = `manifest #${manifest.sequence} of run ${manifest.runId} (object ${hash})`;
    const nextLink = manifest.sequence === (head?.sequence ?? 0) + 1 && manifest.previous === (head?.hash ?? null);
    if (nextLink && hasRun.get(manifest.runId)) {
      scope.note(`${label} is in objects/ but not in the manifests table: the run's commit was cut short after its manifest was written (the next run seals the run as interrupted), or its row was deleted, which only a witness can tell`);
      continue;
    }
    deleted++;
    scope.problem('manifest-missing', `signed ${label} is in objects/ but not in the manifests table: runs were deleted`);
  }
  if (manifestCount > 0 || deleted > 0) return;
  if (strays > 0 && !db.prepare(`SELECT ${['runs', ...ENTRY_CHAINS].map((table) => `EXISTS (SELECT 1 FROM ${table})`).join(' OR ')}`).pluck().get()) {
    // Nothing but a run writes objects that no row names: a locker emptied of its rows.
    scope.problem('manifest-missing', `the locker holds no manifest, no run and no signed entry, yet ${strays} object(s) in objects/ are named by nothing: its runs were deleted`);
  } else {
    scope.note('the locker holds no manifest: no run has been committed to it yet');
  }
}
