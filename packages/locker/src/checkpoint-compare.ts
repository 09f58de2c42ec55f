/**
 * Judging a chain against a witness's checkpoints: the chain must hold every
 * checkpointed head. A checkpoint naming a sequence the chain lacks means
 * runs were deleted, an older locker.db restored or the WAL holding them
 * lost; the same sequence with another hash means the chain was forked or
 * rewritten and re-signed; a checkpoint that does not verify was forged or
 * altered. A witness behind the chain is only noted: its last write may have
 * failed, and that run's warning said so. The same holds for each signed
 * entry chain a checkpoint names: the locker must hold that entry, with that
 * hash, at the count the checkpoint gives. A chain that lacks manifest #1
 * (its row deleted) has no locker id to compare: every checkpoint names #1
 * as the locker's first, so the locker lacks a manifest the witness saw, and
 * that is what is said, not that the locker is empty or another one.
 */
import { checkpointSignatureValid, type SignedCheckpoint } from './checkpoint.js';
import { WITNESSED_CHAINS, type ChainLink, type WitnessedChain } from './entry-formats.js';
import { keyInEffect, type KeyChain } from './key-rotation.js';
import type { ManifestEntry } from './types.js';

export type CheckpointProblemCode = 'witness-behind' | 'witness-forked' | 'witness-signature-invalid' | 'witness-other-locker';

export interface CheckpointComparison {
  problems: { code: CheckpointProblemCode; message: string }[];
  notes: string[];
  /** The newest checkpoint that verified, if any. */
  latest: SignedCheckpoint | null;
}

const short = (hash: string) => hash.slice(0, 16);
const describe = ({ checkpoint: c }: SignedCheckpoint) => `checkpoint #${c.sequence} (head ${short(c.head)}…, run ${c.runId}, ${c.time})`;

/**
 * The keys a checkpoint of manifest `sequence` may be signed with: the key in
 * effect at that manifest, or a key a rotation right after it put in effect
 * (the checkpoint is signed when published, by the key then current; each of
 * several rotations in a row publishes one). Any other key of the chain, one
 * retired before that manifest above all, is not trusted for it.
 */
export function checkpointKeys(keys: KeyChain, sequence: number): string[] {
  const next = keys.epochs.filter((epoch) => epoch.from === sequence + 1).map((epoch) => epoch.key.pem);
  return [...new Set([keyInEffect(keys, sequence).key.pem, ...next])];
}

/**
 * Why a checkpoint does not verify, by the key it names. A key the locker's
 * keys do not reach is what a locker whose keys/signing.pub was replaced (and
 * everything signed again), or whose rotation record was removed, looks like
 * from outside: said so, rather than blaming the witness. A key of the chain
 * that is not trusted at that sequence is a retired key.
 */
function unverifiedCheckpoint(signed: SignedCheckpoint, keys: KeyChain): string {
  const { sequence, keyId } = signed.checkpoint;
  const named = keys.epochs.find((epoch) => epoch.key.keyId === keyId);
  if (!named) {
    return `${describe(signed)} is signed by key ${keyId}, which neither the locker's first key ${keys.root.keyId} nor its rotation records reach: the locker's keys were replaced (keys/signing.pub, or a rotation record removed) or the checkpoint forged`;
  }
  if (!checkpointKeys(keys, sequence).includes(named.key.pem) && checkpointSignatureValid(named.key.pem, signed)) {
    const { key, from } = keyInEffect(keys, sequence);
    const later = keys.epochs.every((epoch) => epoch.key.keyId !== keyId || epoch.from > sequence + 1);
    const why = later ? `a key put in effect only from manifest ${named.from} on signs no checkpoint of a run before it` : 'a retired key signs no checkpoint after its hand-over';
    return `${describe(signed)} is signed by key ${keyId}, which is not trusted at #${sequence} (key ${key.keyId} signs from manifest ${from} on): ${why}`;
  }
  return `${describe(signed)} does not verify with the locker's key in effect at #${sequence}: it was forged or altered`;
}

/** The entry chains to compare: a chain left out (a bundle that does not carry it) is not compared. */
export type ChainLinks = Partial<Record<WitnessedChain, ChainLink[]>>;

/** Each entry chain against the checkpoints that name it: the newest head the locker lacks (behind), every head it holds with another hash (forked). */
function compareEntryChains(links: ChainLinks, checkpoints: SignedCheckpoint[], problem: (code: CheckpointProblemCode, message: string) => void): void {
  for (const chain of Object.keys(WITNESSED_CHAINS) as WitnessedChain[]) {
    const held = links[chain];
    if (!held) continue;
    const { noun } = WITNESSED_CHAINS[chain];
    const bySequence = new Map(held.map((link) => [link.sequence, link.hash]));
    const end = held.at(-1)?.sequence ?? 0;
    let lacked: { signed: SignedCheckpoint; count: number } | null = null;
    for (const signed of checkpoints) {
      const head = signed.checkpoint.entries?.[chain];
      if (!head || head.count === 0) continue;
      const hash = bySequence.get(head.count);
      if (hash === undefined) {
        if (!lacked || head.count > lacked.count) lacked = { signed, count: head.count };
      } else if (hash !== head.head) {
        problem('witness-forked', `${describe(signed)} names ${noun} entry #${head.count} ${short(head.head!)}…, the locker's ${noun} entry #${head.count} is ${short(hash)}…: the ${noun} chain was rewritten`);
      }
    }
    if (lacked) {
      const head = lacked.signed.checkpoint.entries![chain]!;
      problem('witness-behind', `the ${noun} chain is behind the witness: ${describe(lacked.signed)} names ${noun} entry #${head.count} (${short(head.head!)}…), which the locker lacks (its ${noun} chain ends at #${end}): ${noun} entries were deleted or an older locker.db restored`);
    }
  }
}

/**
 * Compare `chain` (all manifests of a locker, or a bundle's range of them)
 * with the checkpoints a witness holds, each verified with the keys the
 * pinned key's rotations put in effect at its sequence. `lockerId` is the
 * chain's manifest #1 hash when the whole chain is at hand; undefined skips
 * that check. `links` are the entry chains at hand (none: only the run chain
 * is compared); checkpoints without `entries` name none.
 */
export function compareCheckpoints(
  chain: Pick<ManifestEntry, 'sequence' | 'hash'>[],
  checkpoints: SignedCheckpoint[],
  keys: KeyChain,
  lockerId?: string | null,
  links: ChainLinks = {},
): CheckpointComparison {
  const comparison: CheckpointComparison = { problems: [], notes: [], latest: null };
  const problem = (code: CheckpointProblemCode, message: string) => comparison.problems.push({ code, message });
  const bySequence = new Map(chain.map((manifest) => [manifest.sequence, manifest.hash]));
  const head = chain.at(-1)?.sequence ?? 0;
  const missing: SignedCheckpoint[] = [];
  const trusted: SignedCheckpoint[] = [];
  const firstLacked = lockerId === null && chain.length > 0;
  /** The newest verified checkpoint naming manifest #1 (as the locker id) when the chain lacks it. */
  let firstSeen: SignedCheckpoint | null = null;
  for (const signed of checkpoints) {
    const { checkpoint } = signed;
    if (!checkpointKeys(keys, checkpoint.sequence).some((pem) => checkpointSignatureValid(pem, signed))) {
      problem('witness-signature-invalid', unverifiedCheckpoint(signed, keys));
      continue;
    }
    if (!comparison.latest || checkpoint.sequence > comparison.latest.checkpoint.sequence) comparison.latest = signed;
    if (firstLacked) {
      if (!firstSeen || checkpoint.sequence > firstSeen.checkpoint.sequence) firstSeen = signed;
    } else if (lockerId !== undefined && checkpoint.lockerId !== lockerId) {
      problem('witness-other-locker', `${describe(signed)} is of locker ${short(checkpoint.lockerId)}…, this locker is ${lockerId ? `${short(lockerId)}…` : 'empty'}: the locker was replaced or re-created`);
      continue;
    }
    trusted.push(signed);
    const hash = bySequence.get(checkpoint.sequence);
    if (hash === undefined) {
      // Manifest #1 lacked is said once, below.
      if (!(firstLacked && checkpoint.sequence === 1)) missing.push(signed);
    } else if (hash !== checkpoint.head) {
      problem('witness-forked', `${describe(signed)} names another manifest than the locker's #${checkpoint.sequence} (${short(hash)}…): the chain was forked or rewritten`);
    }
  }
  if (firstSeen) {
    problem('witness-behind', `the locker lacks manifest #1, which the witness saw: ${describe(firstSeen)} names it as this locker's first (${short(firstSeen.checkpoint.lockerId)}…), and the locker's chain starts at #${chain[0]!.sequence}: manifests were deleted from locker.db`);
  }
  const newest = (signed: SignedCheckpoint[]) => signed.reduce((a, b) => (b.checkpoint.sequence > a.checkpoint.sequence ? b : a));
  const beyond = missing.filter((signed) => signed.checkpoint.sequence > head);
  const within = missing.filter((signed) => signed.checkpoint.sequence <= head);
  if (beyond.length > 0) {
    const more = beyond.length > 1 ? ` (and ${beyond.length - 1} earlier checkpoint(s) it lacks)` : '';
    problem('witness-behind', `the locker is behind the witness: ${describe(newest(beyond))} names a run the locker lacks (its chain ends at #${head})${more}: runs were deleted, an older locker.db restored or its WAL lost`);
  }
  if (within.length > 0) {
    const named = [...new Set(within.map((signed) => signed.checkpoint.sequence))].sort((a, b) => a - b).map((sequence) => `#${sequence}`);
    problem('witness-behind', `the locker lacks manifest(s) ${named.join(', ')}, which the witness checkpointed (${describe(newest(within))}), though its chain goes on to #${head}: manifests were deleted from locker.db`);
  }
  compareEntryChains(links, trusted, problem);
  const latest = comparison.latest?.checkpoint.sequence ?? 0;
  if (checkpoints.length === 0) comparison.notes.push('holds no checkpoint yet');
  else if (latest < head) comparison.notes.push(`its newest checkpoint is #${latest}; run(s) #${latest + 1}–#${head} are not witnessed here`);
  return comparison;
}
