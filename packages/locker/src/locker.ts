/**
 * The embedded locker: a directory holding locker.db (SQLite, WAL), objects/
 * and keys/ (public keys and key rotations only: the private key is with the
 * KeyCustody the caller hands in, see keys.ts). Reads go through one long-lived connection that only ever sees
 * committed runs; each run writes through its own connection and transaction
 * (see writer.ts), so nothing a run writes is visible before its commit.
 */
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { importCatalogText, queryCatalogText } from './catalog-text.js';
import { acceptException, queryAcceptances, revokeAcceptance } from './acceptances.js';
import { appendAccessReview, queryAccessReviews } from './access-reviews.js';
import type { AccessReviewEntry, AccessReviewGuard, AccessReviewInput } from './access-review-types.js';
import { addDocuments, queryDocuments } from './documents.js';
import { appendPortalLog, queryPortalLog } from './portal-log.js';
import type { PortalLogEntry, PortalLogInput } from './portal-log-types.js';
import type { ChainLink, EntryChain, WitnessedChain } from './entry-formats.js';
import { queryChainLinks, querySignedEntries } from './signed-entries.js';
import { queryChangeMark } from './change-mark.js';
import { LockerError, NoPrivateKeyError } from './errors.js';
import { holdsKeyFiles, IN_LOCKER_KEY, InLockerKey, keysInsideLocker, keysInsideLockerError } from './file-keys.js';
import { currentLockerKey, followRotations, readRotationFiles, type KeyChain, type RotationFile } from './key-rotation.js';
import { parsePublicKey, publicKeyPath, type KeyCustody, type PublicKeyInfo, type Signer } from './keys.js';
import { rotateLockerKey } from './rotate.js';
import { ObjectStore } from './objects.js';
import { cursorOf, findSnapshot, latestRun, listRuns, queryRecords } from './query.js';
import { queryRunsByTrigger, queryStreamHeads, queryStreamRuns } from './query-coverage.js';
import {
  listManifests,
  queryInventories,
  queryInventoryHistory,
  queryPeriodEvents,
  queryPeriodStreamRuns,
  querySetRecords,
  querySnapshotEntries,
} from './query-period.js';
import { queryPeriodItemCounts, queryPeriodKinds, queryRecordIdentity } from './query-period-counts.js';
import { recordSetChunks } from './record-set-stream.js';
import { recordSetBytes } from './record-sets.js';
import { readAccessOf } from './read-access.js';
import { createSchema, lockerSchemaVersion, openDatabase, type OpenDatabaseOptions, SCHEMA_VERSION, upgradeSchema, type Db } from './schema.js';
import { signDocument } from './sign-document.js';
import { verifyLocker } from './verify.js';
import { startRun, type SqliteRunWriter } from './writer.js';
import type {
  AcceptanceInput,
  CatalogTextEntry,
  CatalogTextImport,
  CatalogTextImportResult,
  DocumentEntry,
  DocumentInput,
  ExceptionAcceptance,
  Inventory,
  InventoryVersion,
  KeyRotation,
  Locker,
  ManifestEntry,
  PeriodItemCounts,
  PeriodPage,
  PeriodQuery,
  RecordIdentity,
  PeriodStreamRun,
  RecordText,
  SnapshotEntry,
  RecordQuery,
  RevocationInput,
  RunEntry,
  RunOptions,
  RunSummary,
  RunWriter,
  StoredRecord,
  StoredSnapshot,
  StreamHead,
  StreamRunEntry,
  StreamRunQuery,
  VerifyOptions,
  VerifyReport,
} from './types.js';

export interface InitResult {
  dir: string;
  publicKey: string;
  keyId: string;
  /** False when the directory already held a locker (its key is kept). */
  created: boolean;
  /** Where the private key of a new locker was put (a path, a KMS key); null for an existing locker. */
  keyLocation: string | null;
}

export interface KeyOptions {
  /**
   * Where the private keys are (a key directory outside the locker, a KMS key).
   * Without one, the key is the legacy keys/signing.key inside the locker: tests
   * and throwaway lockers only, since whoever can write the locker can then re-sign it.
   */
  custody?: KeyCustody;
}

export interface OpenOptions extends KeyOptions {
  /** The clock for every time the locker writes (default: the system clock). */
  now?: () => Date;
  /**
   * Open for reading only: no connection writes (not even the WAL), a run,
   * an import or a rotation is refused, and a locker this process may not
   * write is read immutable (read-access.ts). The judging commands open lockers this way.
   */
  readonly?: boolean;
}

const notALocker = (dir: string, why: string) => new LockerError(`${dir} is not an evidence locker (${why}); run \`evidentia init\` to create one`);

/** Refuse a locker from a newer evidentia (it may hold tables this one would not verify); migrate an older one. */
function checkedUpgrade(db: Db, root: string): void {
  const version = lockerSchemaVersion(db);
  if (version !== null && version > SCHEMA_VERSION) {
    throw new LockerError(`${root} was written by a newer evidentia (locker schema ${version}; this one knows up to ${SCHEMA_VERSION}): upgrade evidentia`);
  }
  upgradeSchema(db);
}

/** The same for a reading connection: an older locker is migrated through a short writing one, which needs write access. */
function checkedReadable(db: Db, root: string, dbPath: string, access: OpenDatabaseOptions): void {
  const version = lockerSchemaVersion(db);
  if (version === null || version >= SCHEMA_VERSION) return checkedUpgrade(db, root);
  if (access.immutable) {
    throw new LockerError(`${root} was written by an older evidentia (locker schema ${version}) and must be upgraded to ${SCHEMA_VERSION} before it is read, which needs write access: upgrade a writable copy`);
  }
  const writer = openDatabase(dbPath);
  try {
    upgradeSchema(writer);
  } finally {
    writer.close();
  }
}

/** The root public key of a new locker: from a key left by an interrupted init, else a new key from the custody. */
async function firstKey(root: string, custody: KeyCustody): Promise<{ key: PublicKeyInfo; location: string }> {
  const pubPath = publicKeyPath(join(root, 'keys'));
  if (existsSync(pubPath)) return { key: parsePublicKey(readFileSync(pubPath, 'utf8')), location: custody.location };
  const signer = await custody.newSigner();
  mkdirSync(join(root, 'keys'), { recursive: true, mode: 0o755 });
  writeFileSync(pubPath, signer.publicKey.pem, { mode: 0o644, flag: 'wx' });
  return { key: signer.publicKey, location: signer.location };
}

/** `read`, with a file SQLite cannot read as a database (random bytes, a truncated copy) said as the locker problem it is. */
function sqliteRefusal<T>(dbPath: string, read: () => T): T {
  try {
    return read();
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (code === 'SQLITE_NOTADB' || code === 'SQLITE_CORRUPT') throw new LockerError(`${dbPath} is not an evidence locker database (${(error as Error).message})`);
    throw error;
  }
}

/** Create a locker, or confirm an existing one: never replaces a key or a database. */
export async function initLocker(dir: string, options: KeyOptions = {}): Promise<InitResult> {
  const root = resolve(dir);
  const dbPath = join(root, 'locker.db');
  if (existsSync(root) && !statSync(root).isDirectory()) throw new LockerError(`${root} is a file, not a directory: a locker is a directory (name a new or existing one)`);
  const hadDatabase = existsSync(dbPath);
  if (hadDatabase && !existsSync(publicKeyPath(join(root, 'keys')))) {
    throw new LockerError(`${root} has a locker database but no keys/signing.pub: restore it; a new key could not sign the existing chain`);
  }
  if (!hadDatabase && options.custody && keysInsideLocker(root, options.custody)) throw keysInsideLockerError(root, options.custody);
  mkdirSync(join(root, 'objects'), { recursive: true });
  const first = hadDatabase ? null : await firstKey(root, options.custody ?? new InLockerKey(root));
  let schemaCreated = false;
  const db = sqliteRefusal(dbPath, () => openDatabase(dbPath, { create: true }));
  try {
    if (sqliteRefusal(dbPath, () => lockerSchemaVersion(db)) === null) {
      if (db.prepare('SELECT COUNT(*) FROM sqlite_master').pluck().get() !== 0) throw new LockerError(`${dbPath} is a SQLite database but not an evidence locker`);
      createSchema(db);
      schemaCreated = true;
    } else {
      checkedUpgrade(db, root);
    }
  } finally {
    db.close();
  }
  const current = currentLockerKey(root);
  return { dir: root, publicKey: current.pem, keyId: current.keyId, created: schemaCreated, keyLocation: first?.location ?? null };
}

export async function openLocker(dir: string, options: OpenOptions = {}): Promise<Locker> {
  const root = resolve(dir);
  const dbPath = join(root, 'locker.db');
  if (!existsSync(dbPath)) throw notALocker(root, 'no locker.db');
  const pubPath = publicKeyPath(join(root, 'keys'));
  if (!existsSync(pubPath)) throw notALocker(root, 'no keys/signing.pub');
  const access = options.readonly ? readAccessOf(dbPath) : {};
  const db = openDatabase(dbPath, access);
  try {
    if (lockerSchemaVersion(db) === null) throw notALocker(root, 'locker.db is not a locker database');
    if (options.readonly) checkedReadable(db, root, dbPath, access);
    else checkedUpgrade(db, root);
  } catch (error) {
    db.close();
    throw error;
  }
  return new SqliteLocker(root, db, parsePublicKey(readFileSync(pubPath, 'utf8')), options, access);
}

class SqliteLocker implements Locker {
  private readonly objects: ObjectStore;
  private readonly writers = new Set<SqliteRunWriter>();
  private closed = false;

  private readonly now: () => Date;
  private readonly custody: KeyCustody | undefined;
  private readonly dbPath: string;

  constructor(
    readonly dir: string,
    private readonly db: Db,
    /** keys/signing.pub: the locker's first key, where its rotations start. */
    private readonly rootKey: PublicKeyInfo,
    options: OpenOptions,
    /** How reading connections open the database; `readonly` set when the whole locker was opened for reading. */
    private readonly access: OpenDatabaseOptions,
  ) {
    this.dbPath = join(dir, 'locker.db');
    this.objects = new ObjectStore(join(dir, 'objects'));
    this.now = options.now ?? (() => new Date());
    this.custody = options.custody;
  }

  private keyChain(root = this.rootKey): KeyChain {
    return followRotations(root, readRotationFiles(join(this.dir, 'keys')));
  }

  /** The signer of the key in effect, from the custody (else `previous`), else a legacy key inside the locker; refused in one line when none holds it. */
  private async signer(previous?: KeyCustody): Promise<Signer> {
    const { keyId } = this.keyChain().epochs.at(-1)!.key;
    const legacy = new InLockerKey(this.dir);
    const signer = (await this.custody?.signerFor(keyId)) ?? (await previous?.signerFor(keyId)) ?? (await legacy.signerFor(keyId));
    if (signer) return signer;
    const looked = [this.custody?.location, previous?.location, legacy.location].filter(Boolean).join(' or ');
    throw new NoPrivateKeyError(`no private key for ${this.dir}'s signing key ${keyId} in ${looked}: this locker can be read and verified but not written (set signing: in the config)`);
  }

  async beginRun(options: RunOptions): Promise<RunWriter> {
    this.assertWritable('collect into it');
    const context = { dir: this.dir, dbPath: this.dbPath, objects: this.objects, now: this.now };
    const signer = await this.signer();
    // Fail before collecting, not at the commit: a key that cannot sign (a KMS key without kms:Sign) would cost the whole run.
    await signDocument(signer, 'evidentia.signer-check/1', Buffer.alloc(0));
    const writer = await startRun(context, options, signer, (ended) => this.writers.delete(ended));
    this.writers.add(writer);
    return writer;
  }

  async runs(): Promise<RunSummary[]> {
    this.assertOpen();
    return listRuns(this.db, this.objects, this.dir);
  }

  async latestRun(): Promise<RunSummary | null> {
    this.assertOpen();
    return latestRun(this.db, this.objects, this.dir);
  }

  async cursor(instance: string, stream: string): Promise<string | null> {
    this.assertOpen();
    return cursorOf(this.db, instance, stream);
  }

  async *records(query: RecordQuery): AsyncIterable<StoredRecord> {
    this.assertOpen();
    yield* queryRecords(this.db, query);
  }

  async snapshot(entryHash: string): Promise<StoredSnapshot | null> {
    this.assertOpen();
    return findSnapshot(this.db, entryHash);
  }

  async readObject(hash: string): Promise<Buffer> {
    // A record set held in rows has no blob of its own: its canonical list is rebuilt from the rows.
    return recordSetBytes(this.db, hash) ?? this.objects.read(hash);
  }

  /** Whether the store holds an object (a blob) of this hash; its content is checked when it is read. */
  async holdsObject(hash: string): Promise<boolean> {
    this.assertOpen();
    return this.objects.has(hash);
  }

  async *readObjectChunks(hash: string): AsyncIterable<Buffer> {
    this.assertOpen();
    const chunks = recordSetChunks(this.db, hash);
    if (chunks) yield* chunks;
    else yield await this.readObject(hash);
  }

  async publicKey(): Promise<string> {
    return this.rootKey.pem;
  }

  async keyRotations(): Promise<RotationFile[]> {
    return readRotationFiles(join(this.dir, 'keys'));
  }

  async verify(options: VerifyOptions = {}): Promise<VerifyReport> {
    this.assertOpen();
    const keys = this.keyChain(options.publicKey ? parsePublicKey(options.publicKey) : this.rootKey);
    const notes = existsSync(join(this.dir, IN_LOCKER_KEY))
      ? [`the private signing key is inside the locker (${IN_LOCKER_KEY}), so whoever can write the locker can re-sign it: run \`evidentia key rotate\` to sign with a key kept outside, then delete ${join(this.dir, IN_LOCKER_KEY)}`]
      : [];
    if (this.custody && keysInsideLocker(this.dir, this.custody) && holdsKeyFiles(this.custody)) {
      notes.push(`the key directory ${this.custody.location} is inside the locker, so whoever can write the locker can re-sign it: move its key files to a directory outside, name it (signing: dir in the config, or EVIDENTIA_KEYS_DIR), then run \`evidentia key rotate\`, as every copy of the locker made so far carries the key`);
    }
    return verifyLocker(this.dbPath, this.objects, keys, notes, this.access);
  }

  async rotateKey(previous?: KeyCustody): Promise<KeyRotation> {
    this.assertWritable('rotate its key');
    if (!this.custody) throw new LockerError('key rotation needs a key custody for the new key (signing: in the config)');
    if (keysInsideLocker(this.dir, this.custody)) throw keysInsideLockerError(this.dir, this.custody);
    return rotateLockerKey({ dir: this.dir, dbPath: this.dbPath, chain: () => this.keyChain(), now: this.now }, await this.signer(previous), await this.custody.newSigner());
  }

  async inventories(query: PeriodQuery): Promise<Inventory[]> {
    this.assertOpen();
    return queryInventories(this.db, query);
  }

  async *inventoryHistory(query: PeriodQuery, page?: PeriodPage): AsyncIterable<InventoryVersion> {
    this.assertOpen();
    yield* queryInventoryHistory(this.db, query, page);
  }

  async *periodEvents(query: PeriodQuery, page?: PeriodPage): AsyncIterable<StoredRecord> {
    this.assertOpen();
    yield* queryPeriodEvents(this.db, query, page);
  }

  async periodItemCounts(query: PeriodQuery): Promise<PeriodItemCounts> {
    this.assertOpen();
    return queryPeriodItemCounts(this.db, query);
  }

  async periodKinds(period: Pick<PeriodQuery, 'since' | 'until'>): Promise<string[]> {
    this.assertOpen();
    return queryPeriodKinds(this.db, period);
  }

  async recordIdentity(hash: string): Promise<RecordIdentity | null> {
    this.assertOpen();
    return queryRecordIdentity(this.db, hash);
  }

  async periodStreamRuns(query: Pick<PeriodQuery, 'since' | 'until'>): Promise<PeriodStreamRun[]> {
    this.assertOpen();
    return queryPeriodStreamRuns(this.db, query);
  }

  async signDocument(purpose: string, bytes: Buffer): Promise<{ signature: string; keyId: string }> {
    this.assertOpen();
    const signer = await this.signer();
    return { signature: await signDocument(signer, purpose, bytes), keyId: signer.publicKey.keyId };
  }

  async manifests(): Promise<ManifestEntry[]> {
    this.assertOpen();
    return listManifests(this.db);
  }

  async *snapshotEntries(runId: string, stream: string): AsyncIterable<SnapshotEntry> {
    this.assertOpen();
    yield* querySnapshotEntries(this.db, runId, stream);
  }

  async *setRecords(recordSets: string[]): AsyncIterable<RecordText> {
    this.assertOpen();
    yield* querySetRecords(this.db, recordSets);
  }

  async *streamRuns(query: StreamRunQuery = {}): AsyncIterable<StreamRunEntry> {
    this.assertOpen();
    // Its own connection, read-only and so with a small page cache (schema.ts).
    const db = openDatabase(this.dbPath, { ...this.access, readonly: true });
    try {
      yield* queryStreamRuns(db, query);
    } finally {
      db.close();
    }
  }

  async streamHeads(): Promise<StreamHead[]> {
    this.assertOpen();
    return queryStreamHeads(this.db);
  }

  async runsByTrigger(trigger: string): Promise<RunEntry[]> {
    this.assertOpen();
    return queryRunsByTrigger(this.db, trigger);
  }

  async importCatalogText(input: CatalogTextImport): Promise<CatalogTextImportResult> {
    this.assertWritable('import into it');
    return importCatalogText({ dir: this.dir, signer: await this.signer(), dbPath: this.dbPath, objects: this.objects, now: this.now }, input);
  }

  async catalogText(framework?: string): Promise<CatalogTextEntry[]> {
    this.assertOpen();
    return queryCatalogText(this.db, this.objects, framework);
  }

  async addDocuments(inputs: DocumentInput[]): Promise<DocumentEntry[]> {
    this.assertWritable('add documents to it');
    return addDocuments({ dir: this.dir, signer: await this.signer(), dbPath: this.dbPath, objects: this.objects, now: this.now }, inputs);
  }

  async documents(): Promise<DocumentEntry[]> {
    this.assertOpen();
    return queryDocuments(this.db);
  }

  async acceptException(input: AcceptanceInput): Promise<ExceptionAcceptance> {
    this.assertWritable('accept an exception');
    return acceptException(this.writeContext(await this.signer()), input);
  }

  async revokeAcceptance(input: RevocationInput): Promise<ExceptionAcceptance> {
    this.assertWritable('revoke an acceptance');
    return revokeAcceptance(this.writeContext(await this.signer()), input);
  }

  async acceptances(): Promise<ExceptionAcceptance[]> {
    this.assertOpen();
    return queryAcceptances(this.db);
  }

  async signedEntries(chain: EntryChain): Promise<{ hash: string; signature: string; entry: unknown }[]> {
    this.assertOpen();
    return querySignedEntries(this.db, this.objects, chain);
  }

  private writeContext(signer: Signer) {
    return { dir: this.dir, signer, dbPath: this.dbPath, objects: this.objects, now: this.now };
  }

  async appendAccessReview(input: AccessReviewInput, guard?: AccessReviewGuard): Promise<AccessReviewEntry> {
    this.assertWritable('record an access review in it');
    return appendAccessReview(this.writeContext(await this.signer()), input, guard);
  }

  async accessReviews(): Promise<AccessReviewEntry[]> {
    this.assertOpen();
    return queryAccessReviews(this.db, this.objects);
  }

  async appendPortalLog(inputs: readonly PortalLogInput[]): Promise<number> {
    this.assertWritable('record the portal log in it');
    return appendPortalLog(this.writeContext(await this.signer()), inputs);
  }

  async portalLog(since?: string): Promise<PortalLogEntry[]> {
    this.assertOpen();
    return queryPortalLog(this.db, since);
  }

  async chainLinks(): Promise<Record<WitnessedChain, ChainLink[]>> {
    this.assertOpen();
    return queryChainLinks(this.db);
  }

  /** A mark that differs whenever what the judging reads has changed (change-mark.ts); read in a few index lookups. */
  changeMark(): string {
    this.assertOpen();
    return queryChangeMark(this.db);
  }

  /** Closing with a run still open rolls it back; the next run declares it interrupted. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const writer of [...this.writers]) writer.discard();
    this.db.close();
  }

  private assertOpen(): void {
    if (this.closed) throw new LockerError(`locker ${this.dir} is closed`);
  }

  private assertWritable(what: string): void {
    this.assertOpen();
    if (this.access.readonly) throw new LockerError(`locker ${this.dir} was opened for reading: open it for writing to ${what}`);
  }
}
