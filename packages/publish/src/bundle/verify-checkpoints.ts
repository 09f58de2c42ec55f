/**
 * The witness checkpoints a bundle carries: each must be signed with the
 * bundle's key (the one in effect at its manifest, through the bundled
 * rotations) and name exactly the manifest the bundle's chain holds at its
 * sequence, and each entry chain head it names must be in the bundle's
 * chain with that hash, so the bundle agrees with what the witnesses saw
 * (a bundle cut from a rolled-back or forked locker, its runs or its
 * documents, acceptances or access reviews, does not), and, when the chain
 * starts at manifest #1, be of this locker.
 */
import { compareCheckpoints, parseCheckpointLog, type KeyChain } from '@evidentia/locker';
import { PATHS, type ChainLine } from './layout.js';
import type { BundleLinks } from './verify-entries.js';
import type { BundleScope } from './verify-scope.js';

/** Check witness/checkpoints.jsonl against the chain and the entry chains; returns how many checkpoints it holds. */
export async function checkCheckpoints(scope: BundleScope, chain: ChainLine[], keys: KeyChain, links: BundleLinks): Promise<number> {
  if (!scope.zip.has(PATHS.checkpoints)) return 0;
  const { checkpoints, malformed } = parseCheckpointLog((await scope.zip.read(PATHS.checkpoints)).toString('utf8'));
  for (const entry of malformed) scope.problem('checkpoint-invalid', PATHS.checkpoints, `an entry is not a checkpoint: ${entry}`);
  // The locker id is manifest #1's hash: known when the bundle's chain starts there, else not compared.
  const lockerId = chain[0]?.sequence === 1 ? chain[0].hash : undefined;
  const comparison = compareCheckpoints(chain, checkpoints, keys, lockerId, links);
  for (const { code, message } of comparison.problems) {
    scope.problem(code === 'witness-signature-invalid' ? 'checkpoint-invalid' : 'checkpoint-mismatch', PATHS.checkpoints, message);
  }
  return checkpoints.length;
}
