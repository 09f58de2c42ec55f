/**
 * The git witness: the checkpoint log is a file in a git repository; each
 * checkpoint is appended, committed and pushed (never forced, so a remote
 * that was moved back refuses the push instead of being overwritten). Works
 * with any remote git can push to, using the user's own git credentials.
 * Each git command is given a time limit: git sets none on the network, and a
 * remote that takes the connection and never answers would hold the run that
 * publishes (and a daemon's SIGTERM waiting for that run) for ever.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, mkdir, appendFile, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { checkpointLine, parseCheckpointLog, type SignedCheckpoint } from '@evidentia/locker';
import type { Witness, WitnessLog } from './witness.js';

const run = promisify(execFile);

interface GitLimit {
  repository: string;
  timeoutMs: number;
}
/** Pushes tried when the branch moved on (or was being moved) under us. */
const PUSH_ATTEMPTS = 5;
/** How long one git command (a fetch of the branch's tip, a push) may take. */
export const GIT_TIMEOUT_MS = 120_000;

export interface GitWitnessSettings {
  repository: string;
  branch: string;
  path: string;
}

export interface GitWitnessOptions {
  /** The time limit of each git command (default GIT_TIMEOUT_MS). */
  timeoutMs?: number;
}

/** The lines of git's stderr that say what went wrong (`! [rejected] … (fetch first)`, `error:`, `fatal:`, `remote:`), on one line; hints dropped. */
function causeOf(stderr: string): string | undefined {
  const lines = stderr.split('\n').map((line) => line.trim()).filter(Boolean);
  const causes = lines.filter((line) => /^(!|error:|fatal:|remote:)/.test(line));
  return (causes.length > 0 ? causes : lines.filter((line) => !line.startsWith('hint:')).slice(-1)).join('; ') || undefined;
}

/** Run git in `dir`, never prompting for credentials (a daemon has no terminal), within a time limit; failures become one line. */
async function git(dir: string, args: string[], { repository, timeoutMs }: { repository: string; timeoutMs: number }): Promise<string> {
  try {
    const { stdout } = await run('git', ['-C', dir, '-c', 'commit.gpgsign=false', ...args], { env: { ...process.env, GIT_TERMINAL_PROMPT: '0' }, maxBuffer: 256 * 1024 * 1024, timeout: timeoutMs, killSignal: 'SIGKILL' });
    return stdout;
  } catch (error) {
    if ((error as { killed?: boolean }).killed) throw new Error(`git ${args[0]} failed: no answer from ${repository} within ${timeoutMs / 1000} s`);
    throw new Error(`git ${args[0]} failed: ${causeOf(String((error as { stderr?: string }).stderr ?? '')) ?? (error as Error).message}`);
  }
}

/** A scratch repository holding the branch's tip (shallow), or none when the branch does not exist yet. */
async function fetchTip(settings: GitWitnessSettings, limit: GitLimit): Promise<{ dir: string; exists: boolean }> {
  const dir = await mkdtemp(join(tmpdir(), 'evidentia-git-witness-'));
  await git(dir, ['init', '-q'], limit);
  try {
    await git(dir, ['fetch', '-q', '--depth', '1', settings.repository, `refs/heads/${settings.branch}`], limit);
    return { dir, exists: true };
  } catch (error) {
    if (/couldn't find remote ref/i.test((error as Error).message)) return { dir, exists: false };
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
}

/** One commit appending the checkpoint to the log file on the branch's tip, pushed without force. */
async function appendAndPush(settings: GitWitnessSettings, signed: SignedCheckpoint, limit: GitLimit): Promise<void> {
  const { dir, exists } = await fetchTip(settings, limit);
  try {
    await git(dir, exists ? ['checkout', '-q', '-B', settings.branch, 'FETCH_HEAD'] : ['checkout', '-q', '--orphan', settings.branch], limit);
    const file = join(dir, settings.path);
    await mkdir(dirname(file), { recursive: true });
    // A log whose last line lost its newline (edited by hand) would glue this checkpoint onto it: both unreadable.
    const before = await readFile(file).catch(() => Buffer.alloc(0));
    await appendFile(file, `${before.length > 0 && before.at(-1) !== 0x0a ? '\n' : ''}${checkpointLine(signed)}`);
    await git(dir, ['add', '--', settings.path], limit);
    const { sequence, head } = signed.checkpoint;
    await git(dir, ['-c', 'user.name=evidentia', '-c', 'user.email=evidentia@localhost', 'commit', '-q', '-m', `evidentia checkpoint #${sequence} (head ${head})`], limit);
    await git(dir, ['push', '-q', settings.repository, `HEAD:refs/heads/${settings.branch}`], limit);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

export function gitWitness(settings: GitWitnessSettings, options: GitWitnessOptions = {}): Witness {
  const where = `${settings.repository} ${settings.branch}:${settings.path}`;
  const limit: GitLimit = { repository: settings.repository, timeoutMs: options.timeoutMs ?? GIT_TIMEOUT_MS };
  return {
    name: `git ${where}`,
    async publish(signed: SignedCheckpoint): Promise<void> {
      // Another locker keeping its log on the same branch may push between our fetch and push: start again from its tip.
      for (let attempt = 1; ; attempt++) {
        try {
          return await appendAndPush(settings, signed, limit);
        } catch (error) {
          if (attempt >= PUSH_ATTEMPTS || !/\((fetch first|non-fast-forward|failed to update ref)\)/.test((error as Error).message)) throw error;
        }
      }
    },
    async read(): Promise<WitnessLog> {
      const { dir, exists } = await fetchTip(settings, limit);
      try {
        if (!exists) throw new Error(`branch ${settings.branch} does not exist in ${settings.repository} (no checkpoint was ever pushed there, or it was deleted)`);
        return parseCheckpointLog(await git(dir, ['show', `FETCH_HEAD:${settings.path}`], limit));
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    },
  };
}
