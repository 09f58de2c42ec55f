/**
 * Errors that decide the process exit code. The CLI promises: 0 success,
 * 1 the work ran but found a failure, 2 usage or configuration error before
 * any work started.
 */

export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;

/** A problem with how evidentia was invoked or configured; nothing was collected. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** A configuration problem, located by file and path inside it. */
export class ConfigError extends UsageError {
  override name = 'ConfigError';
  constructor(
    readonly file: string,
    readonly problems: Array<{ path: string; message: string; line?: number }>,
  ) {
    super(
      `invalid configuration in ${file}:\n` +
        problems.map((p) => `  ${p.path || '(top level)'}${p.line ? ` (line ${p.line})` : ''}: ${p.message}`).join('\n'),
    );
  }
}
