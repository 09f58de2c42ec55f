import { describe, it, expect, afterEach } from '@jest/globals';
import { chmodSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { sha256Hex } from '@evidentia/evidence';
import { CATALOG_TEXT_FORMAT } from './catalog-text.js';
import { LockerError, openLocker, type CatalogTextImport, type VerifyReport } from './index.js';
import { rewriteAsSchema3 } from './legacy-layout.js';
import { SCHEMA_VERSION } from './schema.js';
import { ObjectStore } from './objects.js';
import { attackerConnection, beginTestRun, collect, createTestLocker, objectCount, rowCount, type TestLocker } from './test-locker.js';

let test: TestLocker | undefined;
afterEach(async () => {
  await test?.cleanup();
  test = undefined;
});

/** Made-up text only: real standard text must never appear in the repository. */
function textImport(framework: string, texts: Record<string, string>, sourceName = 'licensed.csv'): CatalogTextImport {
  return { framework, entries: Object.entries(texts).map(([id, text]) => ({ id, text })), sourceName, sourceSha256: sha256Hex(sourceName) };
}

function objectPath(dir: string, hash: string): string {
  return join(dir, 'objects', hash.slice(0, 2), hash.slice(2));
}

function problemsOf(report: VerifyReport): string[] {
  return report.problems.map((problem) => `${problem.code}: ${problem.message}`);
}

describe('catalog text', () => {
  it('stores an import as one object and one row, and serves the text per requirement', async () => {
    test = await createTestLocker();
    const objectsBefore = objectCount(test.dir);
    const result = await test.locker.importCatalogText(textImport('soc2', { 'CC6.1': 'Synthetic text for CC6.1', 'CC6.2': 'Synthetic text for CC6.2' }));
    expect(result).toMatchObject({ sequence: 1, framework: 'soc2', entryCount: 2, sourceName: 'licensed.csv', added: 2, replaced: 0, unchanged: 0 });
    expect(result.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(result.importedAt).toBe('2025-03-01T09:00:00.000Z');
    expect(objectCount(test.dir) - objectsBefore).toBe(1);
    expect(rowCount(test.dir, 'catalog_text_imports')).toBe(1);
    const entries = await test.locker.catalogText('soc2');
    expect(entries.map(({ id, text }) => [id, text])).toEqual([
      ['CC6.1', 'Synthetic text for CC6.1'],
      ['CC6.2', 'Synthetic text for CC6.2'],
    ]);
    expect(entries[0]!.source).toEqual({
      sequence: 1,
      hash: result.hash,
      framework: 'soc2',
      entryCount: 2,
      sourceName: 'licensed.csv',
      sourceSha256: result.sourceSha256,
      importedAt: result.importedAt,
    });
    expect(await test.locker.catalogText('iso27001')).toEqual([]);
    const report = await test.locker.verify();
    expect(problemsOf(report)).toEqual([]);
    // Nothing was collected, so the only note says so: every object is accounted for.
    expect(report.notes).toEqual(['the locker holds no manifest: no run has been committed to it yet']);
  });

  it('lets a later import supersede an ID while the earlier import stays on record', async () => {
    test = await createTestLocker();
    await test.locker.importCatalogText(textImport('iso27001', { 'A.5.15': 'Synthetic text v1 for A.5.15', 'A.8.32': 'Synthetic text for A.8.32' }, 'first.csv'));
    await test.locker.importCatalogText(textImport('soc2', { 'CC8.1': 'Synthetic text for CC8.1' }));
    const second = await test.locker.importCatalogText(
      textImport('iso27001', { 'A.5.15': 'Synthetic text v2 for A.5.15', 'A.8.32': 'Synthetic text for A.8.32', 'A.5.16': 'Synthetic text for A.5.16' }, 'second.xlsx'),
    );
    expect(second).toMatchObject({ sequence: 3, added: 1, replaced: 1, unchanged: 1 });
    const iso = await test.locker.catalogText('iso27001');
    expect(iso.map(({ id, text, source }) => [id, text, source.sourceName])).toEqual([
      ['A.5.15', 'Synthetic text v2 for A.5.15', 'second.xlsx'],
      ['A.8.32', 'Synthetic text for A.8.32', 'second.xlsx'],
      ['A.5.16', 'Synthetic text for A.5.16', 'second.xlsx'],
    ]);
    expect((await test.locker.catalogText()).map((entry) => entry.framework)).toEqual(['iso27001', 'iso27001', 'soc2', 'iso27001']);
    expect(rowCount(test.dir, 'catalog_text_imports')).toBe(3);
    expect((await test.locker.verify()).ok).toBe(true);
  });

  it('refuses malformed input and stores nothing', async () => {
    test = await createTestLocker();
    const good = textImport('soc2', { 'CC6.1': 'Synthetic text for CC6.1' });
    const refused = [
      { ...good, entries: [...good.entries, ...good.entries] },
      { ...good, entries: [{ id: 'CC6.1', text: '  ' }] },
      { ...good, entries: [] },
      { ...good, sourceSha256: 'abc' },
      { ...good, framework: 'ISO 27001' },
    ];
    for (const input of refused) await expect(test.locker.importCatalogText(input)).rejects.toThrow(LockerError);
    await expect(test.locker.importCatalogText(refused[0]!)).rejects.toThrow('requirement IDs must be unique');
    expect(rowCount(test.dir, 'catalog_text_imports')).toBe(0);
  });

  it('refuses while a collection run holds the writer lock', async () => {
    test = await createTestLocker();
    const run = await beginTestRun(test.locker);
    await expect(test.locker.importCatalogText(textImport('soc2', { 'CC6.1': 'Synthetic text' }))).rejects.toThrow(/is being written by pid \d+ \(run /);
    await run.commit();
    await expect(test.locker.importCatalogText(textImport('soc2', { 'CC6.1': 'Synthetic text' }))).resolves.toMatchObject({ sequence: 1 });
  });

  it('is append-only', async () => {
    test = await createTestLocker();
    await test.locker.importCatalogText(textImport('soc2', { 'CC6.1': 'Synthetic text' }));
    const db = new Database(join(test.dir, 'locker.db'));
    try {
      expect(() => db.exec('DELETE FROM catalog_text_imports')).toThrow('evidence locker is append-only');
      expect(() => db.exec("UPDATE catalog_text_imports SET source_name = 'other.csv'")).toThrow('evidence locker is append-only');
    } finally {
      db.close();
    }
  });
});

describe('verify with catalog text', () => {
  async function imported(): Promise<{ test: TestLocker; hash: string }> {
    test = await createTestLocker();
    await collect(test.locker, ['alice']);
    const { hash } = await test.locker.importCatalogText(textImport('nis2', { 'NIS2.21.2.b': 'Synthetic text for NIS2.21.2.b' }, 'nis2.csv'));
    return { test, hash };
  }

  it('names an altered import object, and reading the text refuses it', async () => {
    const { test, hash } = await imported();
    const path = objectPath(test.dir, hash);
    chmodSync(path, 0o644);
    writeFileSync(path, 'not gzip');
    const report = await test.locker.verify();
    expect(report.ok).toBe(false);
    expect(problemsOf(report)).toEqual([expect.stringMatching(new RegExp(`^object-altered: object ${hash} \\(catalog text import 1 \\(nis2 from "nis2.csv"\\)\\) cannot be decompressed`))]);
    await expect(test.locker.catalogText()).rejects.toThrow(`object ${hash} is altered`);
  });

  it('names a missing import object', async () => {
    const { test, hash } = await imported();
    rmSync(objectPath(test.dir, hash));
    expect(problemsOf(await test.locker.verify())).toEqual([`object-missing: object ${hash} (catalog text import 1 (nis2 from "nis2.csv")) is missing`]);
  });

  it('names a row that no longer says what its object says', async () => {
    const { test } = await imported();
    const db = attackerConnection(test.dir);
    db.exec("UPDATE catalog_text_imports SET source_name = 'other.csv', entry_count = 7");
    db.close();
    const report = await test.locker.verify();
    expect(problemsOf(report)).toEqual([expect.stringMatching(/^catalog-text-altered: catalog text import 1 \(nis2 from "other.csv"\): entryCount, sourceName in the catalog_text_imports table differ/)]);
    expect(report.notes).toContainEqual(expect.stringContaining('append-only triggers are missing'));
  });
});

describe('catalog text added behind the locker\'s back', () => {
  it('is caught by its signature even when the row and the object agree', async () => {
    const own = await createTestLocker();
    test = own;
    await own.locker.importCatalogText(textImport('nis2', { 'NIS2.21.2.b': 'Synthetic text' }, 'nis2.csv'));
    const forged = { format: CATALOG_TEXT_FORMAT, framework: 'nis2', entries: [{ id: 'NIS2.21.2.b', text: 'Synthetic forged text' }], sourceName: 'nis2.csv', sourceSha256: sha256Hex('nis2.csv'), importedAt: '2026-11-26T10:00:00.000Z' };
    const hash = new ObjectStore(join(own.dir, 'objects')).putValue(forged);
    const db = attackerConnection(own.dir);
    // Without the private key the best an attacker has is a signature the locker made for another import.
    const copied = db.prepare('SELECT signature FROM catalog_text_imports WHERE sequence = 1').pluck().get() as string;
    db.prepare(
      "INSERT INTO catalog_text_imports (hash, framework, entry_count, source_name, source_sha256, imported_at, signature) VALUES (?, 'nis2', 1, 'nis2.csv', ?, ?, ?)",
    ).run(hash, sha256Hex('nis2.csv'), forged.importedAt, copied);
    db.close();
    const report = await own.locker.verify();
    expect(problemsOf(report)).toEqual([expect.stringMatching(new RegExp(`^signature-invalid: catalog text import 2 \\(nis2 from "nis2.csv"\\): the signature over object ${hash} does not verify with key [0-9a-f]{64}$`))]);
  });
});

describe('a locker written by schema version 1', () => {
  /** What evidentia before catalog text left on disk: no catalog_text_imports table, no item gaps, user_version 1. */
  function downgradeToVersion1(dir: string): void {
    rewriteAsSchema3(dir);
    const db = new Database(join(dir, 'locker.db'));
    try {
      db.exec('DROP TABLE catalog_text_imports');
      db.exec('DROP INDEX records_by_item');
      db.exec('DROP INDEX stream_runs_by_set');
      for (const table of ['set_deltas', 'set_additions', 'set_removals']) db.exec(`DROP TABLE ${table}`);
      db.exec('ALTER TABLE stream_runs DROP COLUMN item_gaps');
      db.pragma('user_version = 1');
    } finally {
      db.close();
    }
  }

  it('opens, is upgraded in place, keeps its runs and verifies clean', async () => {
    test = await createTestLocker();
    await collect(test.locker, ['alice', 'bob']);
    await test.locker.close();
    downgradeToVersion1(test.dir);
    const locker = await test.reopen();
    const db = new Database(join(test.dir, 'locker.db'), { readonly: true });
    try {
      expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
      const triggers = db.prepare("SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'catalog_text_imports'").pluck().all();
      expect(triggers).toEqual(['catalog_text_imports_no_update', 'catalog_text_imports_no_delete']);
    } finally {
      db.close();
    }
    expect(await locker.runs()).toHaveLength(1);
    await locker.importCatalogText(textImport('soc2', { 'CC6.1': 'Synthetic text' }));
    const report = await locker.verify();
    expect(problemsOf(report)).toEqual([]);
    expect(report.notes).toEqual([]);
  });

  it('refuses a locker from a newer evidentia', async () => {
    test = await createTestLocker();
    await test.locker.close();
    const db = new Database(join(test.dir, 'locker.db'));
    db.pragma('user_version = 99');
    db.close();
    await expect(openLocker(test.dir)).rejects.toThrow(`written by a newer evidentia (locker schema 99; this one knows up to ${SCHEMA_VERSION})`);
  });
});
