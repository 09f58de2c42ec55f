/**
 * Merkle roots of large record sets on a second thread, for `verify`: the
 * root of a 100,000-member set is 200,000 one-shot SHA-256 calls of 33–65
 * bytes (call overhead, not bytes), about as long as all record hashing, and
 * nothing else needs it until the end, so it runs while this thread checks
 * the record rows. The worker is started from source text (no module file
 * and no TypeScript loader, so it is ready in milliseconds) built from
 * merkle.ts's own rootOfPacked: the tree is the same code on both threads.
 * Should the worker fail, the roots it owed are computed here instead.
 */
import { Worker } from 'node:worker_threads';
import { merkleRoot, packedLeaves, rootOfPacked, sha256Buffer } from './merkle.js';

/** Leaves from which a root goes to the worker: below, starting it costs more than it saves. */
const FROM = 16_384;

const SOURCE = `
const { parentPort } = require('node:worker_threads');
const { hash } = require('node:crypto');
const rootOfPacked = ${rootOfPacked.toString()};
const sha256 = (bytes) => hash('sha256', bytes, 'buffer');
parentPort.on('message', ({ id, packed }) => parentPort.postMessage({ id, root: rootOfPacked(packed, sha256) }));
`;

const EMPTY_ROOT = sha256Buffer(new Uint8Array(0)).toString('hex');

export class MerklePool {
  private worker: Worker | null = null;
  private nextId = 0;
  private readonly owed = new Map<number, { packed: Buffer; resolve: (root: string) => void }>();

  constructor(private threads = true) {}

  /** The root of these leaves: a promise when a worker computes it. */
  root(hexHashes: readonly string[]): string | Promise<string> {
    const packed = this.threads && hexHashes.length >= FROM ? packedLeaves(hexHashes) : null;
    if (!packed) return merkleRoot(hexHashes);
    const worker = this.started();
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.owed.set(id, { packed, resolve });
      worker.postMessage({ id, packed });
    });
  }

  async close(): Promise<void> {
    await this.worker?.terminate();
    this.worker = null;
  }

  private started(): Worker {
    if (this.worker) return this.worker;
    // Not unref'd: while a root is owed, the worker may be all that keeps the process alive (verify awaits it); close() ends it.
    const worker = new Worker(SOURCE, { eval: true });
    worker.on('message', ({ id, root }: { id: number; root: string | null }) => {
      const owed = this.owed.get(id);
      this.owed.delete(id);
      owed?.resolve(root ?? EMPTY_ROOT);
    });
    worker.on('error', () => this.fallBack());
    worker.on('exit', () => this.fallBack());
    this.worker = worker;
    return worker;
  }

  /** The worker is gone: what it owed is computed on this thread, so a root is never lost to a thread's failure. */
  private fallBack(): void {
    this.threads = false;
    this.worker = null;
    for (const [id, { packed, resolve }] of this.owed) {
      this.owed.delete(id);
      resolve(rootOfPacked(packed, sha256Buffer) ?? EMPTY_ROOT);
    }
  }
}
