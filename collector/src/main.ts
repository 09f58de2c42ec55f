/**
 * The `evidentia` command line. Each command lives in commands/; this file
 * wires them into commander and turns outcomes into the exit codes the CLI
 * promises: 0 success, 1 the work ran but found a failure, 2 usage or
 * configuration error before any work.
 */
import { Command, CommanderError, Help } from 'commander';
import { EXIT_USAGE, UsageError } from '@evidentia/audit/errors';
import { COLLECTOR_VERSION } from '@evidentia/evidence/version';
import { COMMANDS } from './command-table.js';
import type { CommandResult, Wrap } from './commands/wrap.js';

/**
 * The command a command line runs (`help NAME` asks for NAME's help), or
 * undefined for the program's own `--version` and `--help`. The program's
 * options take no values, so the first word not starting with "-" is it.
 */
export function commandOf(argv: readonly string[]): string | undefined {
  const words = argv.slice(2).filter((arg) => !arg.startsWith('-'));
  return words[0] === 'help' ? words[1] : words[0];
}

/**
 * Refuse an option given an empty value (`--public-key "$KEY"` with KEY
 * unset): commands read an empty string as an option left out, so verify
 * would check with the locker's own key, or the locker instead of the
 * bundle, and collect write to the config's locker, each as if asked to.
 */
function refuseEmptyValues(command: Command): void {
  for (const option of command.options) {
    const name = option.attributeName();
    if (command.getOptionValueSource(name) !== 'cli') continue;
    const value: unknown = command.getOptionValue(name);
    if (value === '' || (Array.isArray(value) && value.includes(''))) {
      throw new UsageError(`${option.long ?? option.flags} was given an empty value (expected ${/<[^>]+>/.exec(option.flags)?.[0] ?? 'a value'})`);
    }
  }
}

/**
 * The program with every command of COMMANDS: those `load` selects from
 * their modules, the others as the name, options marker and description
 * that the list of commands shows, so that list reads the same either way.
 */
export async function buildProgram(setExitCode: (code: number) => void, load: (name: string) => boolean): Promise<Command> {
  const listed = new Map<Command, string>();
  const program = new Command('evidentia')
    .description('Automated evidence collection for SOC 2 audits')
    .version(COLLECTOR_VERSION)
    .exitOverride()
    // Options after a subcommand belong to it: `connectors try --config F` is try's --config, not the listing's.
    .enablePositionalOptions()
    // One hint line, not the whole help: a mistyped flag should read as one clear line.
    .showHelpAfterError('(add --help for usage)')
    .configureHelp({ subcommandTerm: (command) => listed.get(command) ?? new Help().subcommandTerm(command) })
    .hook('preAction', (_program, command) => refuseEmptyValues(command));
  const wrap: Wrap =
    <A extends unknown[]>(action: (...args: A) => CommandResult) =>
    async (...args: A) => {
      setExitCode(await action(...args));
    };
  for (const entry of COMMANDS) {
    if (load(entry.name)) {
      (await entry.load())(program, wrap);
    } else {
      const stub = program
        .command(entry.name)
        .description(entry.description)
        // Never reached while commandOf agrees with commander; if they ever disagree, say so rather than do nothing.
        .action(() => {
          throw new Error(`the "${entry.name}" command was not loaded`);
        });
      listed.set(stub, entry.options ? `${entry.name} [options]` : entry.name);
    }
  }
  return program;
}

/** Run the CLI with `argv` (as process.argv) and return the exit code. */
export async function main(argv: string[]): Promise<number> {
  let exitCode = 0;
  const command = commandOf(argv);
  const program = await buildProgram(
    (code) => {
      exitCode = code;
    },
    (name) => name === command,
  );
  try {
    await program.parseAsync(argv);
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      return error.exitCode === 0 ? 0 : EXIT_USAGE;
    }
    // Loaded only now: a failure's wording needs the error classes of the packages the command used.
    const [{ failureOf }, { scrubSecrets }, { terminalSafe }] = await Promise.all([import('./commands/wrap.js'), import('./config/known-secrets.js'), import('@evidentia/audit')]);
    const failure = failureOf(error);
    // A message can quote what a server, a file or a bundle said: its control characters are shown, not obeyed, line by line.
    const shown = scrubSecrets(failure.message).split('\n').map(terminalSafe).join('\n');
    process.stderr.write(`evidentia: ${shown}\n`);
    return failure.code;
  }
}
