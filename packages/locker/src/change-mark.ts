/**
 * A cheap mark of what the locker holds, for readers that keep what they
 * computed from it (the portal): it differs whenever a run starts or ends
 * (the runs table, the manifest chain) or an entry is added to a chain the
 * judging reads (documents, acceptances, access reviews, catalog text). The
 * portal's own audit log is left out: the portal appends to it on every
 * page, and no judgement reads it. Each part is the last row by rowid (an
 * INTEGER PRIMARY KEY, or the rowid of the runs table), so reading the mark
 * is a few b-tree descents whatever the locker's size.
 */
import type { Db } from './schema.js';

const LAST_ROWS: ReadonlyArray<readonly [string, string]> = [
  ['runs', 'SELECT rowid AS n, id AS head FROM runs ORDER BY rowid DESC LIMIT 1'],
  ['manifests', 'SELECT sequence AS n, hash AS head FROM manifests ORDER BY sequence DESC LIMIT 1'],
  ['documents', 'SELECT sequence AS n, hash AS head FROM document_entries ORDER BY sequence DESC LIMIT 1'],
  ['acceptances', 'SELECT sequence AS n, hash AS head FROM exception_acceptances ORDER BY sequence DESC LIMIT 1'],
  ['accessReviews', 'SELECT sequence AS n, hash AS head FROM access_review_entries ORDER BY sequence DESC LIMIT 1'],
  ['catalogText', 'SELECT sequence AS n, hash AS head FROM catalog_text_imports ORDER BY sequence DESC LIMIT 1'],
];

/** The queries the mark is read with (tests check SQLite plans them as rowid lookups). */
export const CHANGE_MARK_QUERIES: readonly string[] = LAST_ROWS.map(([, sql]) => sql);

export function queryChangeMark(db: Db): string {
  return LAST_ROWS.map(([name, sql]) => {
    const row = db.prepare(sql).get() as { n: number; head: string } | undefined;
    return `${name}:${row ? `${row.n}/${row.head}` : '-'}`;
  }).join(' ');
}
