/**
 * How a command hands its outcome to the program, and how a failure becomes
 * the one line the user reads. Every action resolves to an exit code, and
 * the wrapper main.ts passes to each register function records it; whatever
 * an action throws is rendered here. A file of its own so commands need not
 * import main.ts (which imports them all).
 */
import { EXIT_FAILURE, EXIT_USAGE, UsageError } from '@evidentia/audit';
import { LockerError, LockerWriteError } from '@evidentia/locker';

/** What a command action resolves to: its exit code. */
export type CommandResult = Promise<number>;

/** The wrapper every command registers its action through. */
export type Wrap = <A extends unknown[]>(action: (...args: A) => CommandResult) => (...args: A) => Promise<void>;

/** Set to see the stack of an unexpected error (a bug worth reporting), which is otherwise kept off the terminal. */
export const DEBUG_ENV = 'EVIDENTIA_DEBUG';

/** The work was stopped by a signal (Ctrl-C, SIGTERM) before it finished: exit 1, said as is, never as a bug. */
export class InterruptedError extends Error {
  override name = 'InterruptedError';
}

/** What a failure looks like to the user: the exit code and the text after "evidentia: ". */
export interface Failure {
  code: number;
  message: string;
}

/** File errors that come from the paths the user gave (a missing folder, a directory named as a file, no permission): exit 2, like any bad input. */
const INPUT_FILE_CODES = new Set(['ENOENT', 'ENOTDIR', 'EISDIR', 'EACCES', 'EPERM', 'EROFS', 'EEXIST']);

/** A Node.js file-system error (ENOENT, EACCES, ...) said as what could not be done to which path. */
function fileFailure(error: NodeJS.ErrnoException): string {
  const reason = error.message.replace(/^[A-Z]+: /, '').replace(/, \w+ '.*'$/, '');
  return `cannot ${error.syscall ?? 'use'} ${error.path}: ${reason}`;
}

/**
 * The exit code and one line for whatever a command threw: 2 for a usage or
 * input problem, 1 for work that failed. A stack is a developer's tool, so it
 * is printed only when DEBUG_ENV is set; an error nobody anticipated still
 * says so, naming its kind, so the test walking every error path can tell a
 * handled failure from one that slipped through.
 */
export function failureOf(error: unknown, env: NodeJS.ProcessEnv = process.env): Failure {
  // A locker refusal (no private key for this copy, a newer locker, a held writer lock) is about the locker named: exit 2.
  if (error instanceof UsageError || error instanceof LockerError) return { code: EXIT_USAGE, message: error.message };
  // Work that began and could not finish (a signal, a locker write that failed): said as is, exit 1.
  if (error instanceof InterruptedError || error instanceof LockerWriteError) return { code: EXIT_FAILURE, message: error.message };
  // Duck-typed, not instanceof: errors from Node's own modules may come from another realm (a vm context, a worker).
  const thrown = typeof error === 'object' && error !== null && typeof (error as Error).message === 'string' ? (error as NodeJS.ErrnoException) : null;
  const debug = env[DEBUG_ENV] && thrown?.stack ? `\n${thrown.stack}` : '';
  if (thrown && typeof thrown.path === 'string') {
    return { code: INPUT_FILE_CODES.has(thrown.code ?? '') ? EXIT_USAGE : EXIT_FAILURE, message: `${fileFailure(thrown)}${debug}` };
  }
  const kind = thrown ? (thrown.name ?? 'Error') : typeof error;
  const text = thrown ? thrown.message : String(error);
  return { code: EXIT_FAILURE, message: `${text} (unexpected ${kind}: a bug in evidentia; ${DEBUG_ENV}=1 shows where)${debug}` };
}
