/**
 * Witnesses from the configuration, and publishing a sealed run's checkpoint
 * to all of them. Publishing never throws: a witness that could not be
 * written is a warning of the run (its evidence is committed and stays), and
 * `verify` notes the witness is behind until a later run reaches it.
 */
import { terminalSafe } from '@evidentia/audit';
import { signCheckpoint, type Locker, type SignedCheckpoint } from '@evidentia/locker';
import type { Logger } from '@evidentia/sdk';
import type { LoadedConfig } from '../config/load.js';
import type { WitnessEntry } from '../config/witnesses.js';
import { SlackNotifier } from '../notify/slack.js';
import { fileWitness } from './file-witness.js';
import { gitWitness } from './git-witness.js';
import { s3Witness } from './s3-witness.js';
import type { Witness } from './witness.js';

const quietLog: Logger = { debug() {}, info() {}, warn() {}, error() {} };

function witnessOf(entry: WitnessEntry, config: Pick<LoadedConfig, 'notifications'>, log: Logger): Witness {
  switch (entry.type) {
    case 'file':
      return fileWitness(entry.path);
    case 's3':
      return s3Witness(entry);
    case 'git':
      return gitWitness(entry);
    case 'slack': {
      const slack = config.notifications.slack;
      // Loading a full config refuses a slack witness without a channel; verify reads only the witnesses and never posts.
      if (!slack) return { name: 'slack (notifications.slack)', publish: () => Promise.reject(new Error('notifications.slack is not configured')) };
      const notifier = new SlackNotifier(slack, log);
      return { name: `slack ${slack.channel}`, publish: (signed) => notifier.postCheckpoint(signed) };
    }
  }
}

/** The configured witnesses, in config order. */
export function createWitnesses(config: Pick<LoadedConfig, 'witnesses' | 'notifications'>, log: Logger = quietLog): Witness[] {
  return (config.witnesses ?? []).map((entry) => witnessOf(entry, config, log));
}

export interface Witnessed {
  /** The checkpoint published (null when none could be signed). */
  checkpoint: SignedCheckpoint | null;
  /** One line per witness that could not be written, naming it. */
  warnings: string[];
}

/** Sign a checkpoint of the locker's head and publish it to every witness; failures become warnings. */
export async function publishCheckpoint(locker: Locker, witnesses: Witness[], now: Date): Promise<Witnessed> {
  if (witnesses.length === 0) return { checkpoint: null, warnings: [] };
  let checkpoint: SignedCheckpoint | null;
  try {
    checkpoint = await signCheckpoint(locker, now);
  } catch (error) {
    return { checkpoint: null, warnings: [`no checkpoint was published: it could not be signed: ${(error as Error).message}`] };
  }
  if (!checkpoint) return { checkpoint: null, warnings: ['no checkpoint was published: the locker has no sealed run yet and a checkpoint names the run chain\'s head; the first run\'s checkpoint covers what was added'] };
  const signed = checkpoint;
  const results = await Promise.allSettled(witnesses.map((witness) => witness.publish(signed)));
  const warnings = results.flatMap((result, index) =>
    result.status === 'rejected' ? [`witness ${witnesses[index]!.name} did not take checkpoint #${signed.checkpoint.sequence}: ${(result.reason as Error).message}`] : [],
  );
  return { checkpoint, warnings };
}

/**
 * After a command that reads no credentials changed the locker outside a run
 * (a key rotation, an entry added to a signed chain): publish a checkpoint at
 * once, so the witnesses hold the change now and deleting it is caught even
 * if no run follows. Slack is left out (its token is a credential these
 * commands do not read) and hears of it with the next run's checkpoint, which
 * covers the same heads; that is said, as is every witness that failed, on
 * stderr (stdout may be --json).
 */
export async function publishOutsideRun(locker: Locker, config: Pick<LoadedConfig, 'witnesses' | 'notifications'> | null, now = new Date()): Promise<Witnessed> {
  const entries = config?.witnesses ?? [];
  const witnesses = config ? createWitnesses({ ...config, witnesses: entries.filter((entry) => entry.type !== 'slack') }) : [];
  const witnessed = await publishCheckpoint(locker, witnesses, now);
  for (const warning of witnessed.warnings) process.stderr.write(`warning: ${terminalSafe(warning)}\n`);
  if (entries.some((entry) => entry.type === 'slack')) process.stderr.write('note: the Slack witness receives this change with the next run\'s checkpoint (this command reads no credentials)\n');
  return witnessed;
}

/** publishOutsideRun after an entry was added or revoked, saying on stderr which chain heads the checkpoint holds. */
export async function witnessEntries(locker: Locker, config: Pick<LoadedConfig, 'witnesses' | 'notifications'> | null): Promise<void> {
  const { checkpoint } = await publishOutsideRun(locker, config);
  const entries = checkpoint?.checkpoint.entries;
  if (!checkpoint || !entries) return;
  const counts = `documents ${entries.documents?.count ?? 0}, acceptances ${entries.acceptances?.count ?? 0}, access reviews ${entries.accessReviews?.count ?? 0}`;
  process.stderr.write(`checkpoint of run #${checkpoint.checkpoint.sequence} and the entry chains (${counts}) published to the witnesses\n`);
}
