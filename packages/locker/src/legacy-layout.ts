/**
 * For tests: rewrite a locker's record sets the way schema 3 stored them, so
 * the tests read, verify and extend a locker as an older evidentia left it. A
 * whole set becomes a gzip object of its sorted hash list plus a `set_members`
 * row per member; a change becomes a `set_deltas` row with the added and
 * removed hashes in `set_additions` / `set_removals`; snapshot lists become a
 * `snapshots` row per entry. Then `record_sets` is dropped and the locker says
 * schema 3.
 */
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { compactRowids, hashesOfRowids, type CompactSetRow } from './compact-sets.js';
import { ObjectStore } from './objects.js';
import { decodeRowids } from './rowid-list.js';
import { toSchema3Snapshots } from './test-locker.js';

export function rewriteAsSchema3(dir: string): void {
  // Snapshot entries as schema 3 kept them too: a row each.
  toSchema3Snapshots(dir);
  const db = new Database(join(dir, 'locker.db'));
  const objects = new ObjectStore(join(dir, 'objects'));
  try {
    const rows = db.prepare('SELECT id, hash, kind, base, depth, size, members, removed FROM record_sets ORDER BY id').all() as CompactSetRow[];
    const hashOfId = new Map(rows.map((row) => [row.id, row.hash]));
    const hashes = (rowids: number[]) => hashesOfRowids(db, rowids).hashes;
    db.transaction(() => {
      for (const row of rows) {
        if (row.kind === 'whole') {
          const members = hashes(compactRowids(db, row));
          objects.putValue(members);
          for (const hash of members) db.prepare('INSERT INTO set_members (set_hash, record_hash) VALUES (?, ?)').run(row.hash, hash);
          continue;
        }
        db.prepare('INSERT INTO set_deltas (set_hash, base_hash, depth) VALUES (?, ?, ?)').run(row.hash, hashOfId.get(row.base!), row.depth);
        for (const hash of hashes(decodeRowids(row.members, Number.MAX_SAFE_INTEGER))) db.prepare('INSERT INTO set_additions (set_hash, record_hash) VALUES (?, ?)').run(row.hash, hash);
        for (const hash of hashes(decodeRowids(row.removed!, Number.MAX_SAFE_INTEGER))) db.prepare('INSERT INTO set_removals (set_hash, record_hash) VALUES (?, ?)').run(row.hash, hash);
      }
      db.exec('DROP TABLE record_sets');
      db.pragma('user_version = 3');
    })();
  } finally {
    db.close();
  }
}
