/**
 * `verify`'s witness half: every readable witness is read back and the
 * locker's run chain and signed entry chains compared with its checkpoints
 * (compareCheckpoints). A
 * witness that cannot be read is a problem too: a rollback check that did
 * not happen must not look like one that passed.
 */
import { compareCheckpoints, followRotations, lockerIdOf, parsePublicKey, type ChainLinks, type CheckpointProblemCode, type KeyChain, type Locker, type SignedCheckpoint } from '@evidentia/locker';
import { terminalSafe } from '@evidentia/audit';
import type { Witness } from './witness.js';

export type WitnessProblemCode = CheckpointProblemCode | 'witness-unreadable' | 'witness-malformed';

export interface WitnessCheck {
  witness: string;
  /** Whether it is read back (write-only witnesses, Slack, are not). */
  readable: boolean;
  /** The newest checkpoint that verified; null when it holds none, or is write-only. */
  latest: number | null;
  problems: { code: WitnessProblemCode; message: string }[];
  notes: string[];
}

export interface WitnessReport {
  ok: boolean;
  witnesses: WitnessCheck[];
  /** Said once, e.g. that no witness can be read, so rollback cannot be detected. */
  notes: string[];
}

async function checkOne(witness: Witness, chain: Awaited<ReturnType<Locker['manifests']>>, links: ChainLinks, keys: KeyChain): Promise<WitnessCheck> {
  const check: WitnessCheck = { witness: witness.name, readable: Boolean(witness.read), latest: null, problems: [], notes: [] };
  if (!witness.read) {
    check.notes.push('write-only: not read back');
    return check;
  }
  try {
    const log = await witness.read();
    for (const entry of log.malformed) check.problems.push({ code: 'witness-malformed', message: `an entry is not a checkpoint: ${entry}` });
    const comparison = compareCheckpoints(chain, log.checkpoints, keys, lockerIdOf(chain), links);
    check.problems.push(...comparison.problems);
    check.notes.push(...comparison.notes);
    check.latest = comparison.latest?.checkpoint.sequence ?? null;
  } catch (error) {
    check.problems.push({ code: 'witness-unreadable', message: `cannot be read, so rollback was not checked against it: ${(error as Error).message}` });
  }
  return check;
}

/** Compare the locker with every witness; `publicKey` pins the first key, whose rotations checkpoints must verify with (default: the locker's). */
export async function checkWitnesses(locker: Locker, witnesses: Witness[], publicKey?: string): Promise<WitnessReport> {
  const chain = await locker.manifests();
  const keys = followRotations(parsePublicKey(publicKey ?? (await locker.publicKey())), await locker.keyRotations());
  const links = await locker.chainLinks();
  const checks = await Promise.all(witnesses.map((witness) => checkOne(witness, chain, links, keys)));
  const notes: string[] = [];
  if (witnesses.length === 0) notes.push('no witness is configured: a rollback (deleted newest runs, a restored locker.db, a lost WAL) cannot be detected');
  else if (!witnesses.some((witness) => witness.read)) notes.push('no configured witness can be read back: a rollback cannot be detected here');
  else if (chain.length > 0 && checks.every((check) => check.latest === null && check.problems.length === 0)) {
    notes.push('no witness holds a checkpoint of this locker: nothing was compared, so a rollback cannot be detected until one does (collect\'s warnings say why a witness did not take one)');
  }
  return { ok: checks.every((check) => check.problems.length === 0), witnesses: checks, notes };
}

/** The witnesses left uncompared because the locker's chain cannot be read (`reason`): said, and never passed when there are witnesses to compare. */
export function witnessesNotCompared(witnesses: Witness[], reason: string): WitnessReport {
  return { ok: witnesses.length === 0, witnesses: [], notes: [`the witnesses were not compared with the locker: ${reason}`] };
}

/** The report's terminal lines: each witness's state, its problems and notes, then the general notes. */
export function witnessLines(report: WitnessReport): string[] {
  const lines: string[] = [];
  for (const check of report.witnesses) {
    const name = terminalSafe(check.witness);
    const state = check.problems.length > 0 ? 'FAILED' : check.latest !== null ? `ok (newest checkpoint #${check.latest})` : check.readable ? 'nothing compared' : 'ok';
    lines.push(`witness ${name}: ${state}`);
    for (const problem of check.problems) lines.push(`PROBLEM ${problem.code} (witness ${name}): ${terminalSafe(problem.message)}`);
    for (const note of check.notes) lines.push(`note: witness ${name}: ${terminalSafe(note)}`);
  }
  for (const note of report.notes) lines.push(`note: ${note}`);
  return lines;
}

export const witnessProblemCount = (report: WitnessReport) => report.witnesses.reduce((sum, check) => sum + check.problems.length, 0);

/**
 * Every checkpoint the readable witnesses hold (for a bundle to carry); a
 * witness that cannot be read is named in `unread`, never skipped silently.
 */
export async function witnessedCheckpoints(witnesses: Witness[]): Promise<{ checkpoints: SignedCheckpoint[]; unread: string[] }> {
  const checkpoints: SignedCheckpoint[] = [];
  const unread: string[] = [];
  for (const witness of witnesses) {
    if (!witness.read) continue;
    try {
      checkpoints.push(...(await witness.read()).checkpoints);
    } catch (error) {
      unread.push(`witness ${witness.name}: ${(error as Error).message}`);
    }
  }
  return { checkpoints, unread };
}

/** For coverage: one note per witness that lags behind the locker, failed its check or could not be read. */
export async function witnessCoverageNotes(locker: Locker, witnesses: Witness[]): Promise<string[]> {
  if (witnesses.length === 0) return [];
  const report = await checkWitnesses(locker, witnesses);
  return report.witnesses.flatMap((check) => [
    ...check.problems.map((problem) => `witness ${check.witness}: ${problem.code}: ${problem.message}`),
    ...check.notes.filter((note) => note !== 'write-only: not read back').map((note) => `witness ${check.witness}: ${note}`),
  ]);
}
