/**
 * The `evidentia` command line. Each command lives in commands/; this file
 * wires them into commander and turns outcomes into the exit codes the CLI
 * promises: 0 success, 1 the work ran but found a failure, 2 usage or
 * configuration error before any work.
 */
import { Command, CommanderError } from 'commander';
import { EXIT_USAGE } from '@evidentia/audit';
import { COLLECTOR_VERSION } from '@evidentia/evidence';
import { type CommandResult, failureOf, type Wrap } from './commands/wrap.js';
import { scrubSecrets } from './config/known-secrets.js';
import { registerInit } from './commands/init.js';
import { registerKey } from './commands/key.js';
import { registerCollect } from './commands/collect.js';
import { registerRuns } from './commands/runs.js';
import { registerRecords } from './commands/records.js';
import { registerVerify } from './commands/verify.js';
import { registerConnectors } from './commands/connectors.js';
import { registerDemo } from './commands/demo.js';
import { registerFixtures } from './commands/fixtures.js';
import { registerDoctor } from './commands/doctor.js';
import { registerDaemon } from './commands/daemon.js';
import { registerStatus } from './commands/status.js';
import { registerCoverage } from './commands/coverage.js';
import { registerCheck } from './commands/check.js';
import { registerReport } from './commands/report.js';
import { registerExport } from './commands/export.js';
import { registerSample } from './commands/sample.js';
import { registerCatalog } from './commands/catalog.js';
import { registerEvidence } from './commands/evidence.js';
import { registerReadiness } from './commands/readiness.js';
import { registerException } from './commands/exception.js';
import { registerAccessReview } from './commands/access-review.js';
import { registerServe } from './commands/serve.js';

export function buildProgram(setExitCode: (code: number) => void): Command {
  const program = new Command('evidentia')
    .description('Automated evidence collection for SOC 2 audits')
    .version(COLLECTOR_VERSION)
    .exitOverride()
    // Options after a subcommand belong to it: `connectors try --config F` is try's --config, not the listing's.
    .enablePositionalOptions()
    // One hint line, not the whole help: a mistyped flag should read as one clear line.
    .showHelpAfterError('(add --help for usage)');
  const wrap: Wrap =
    <A extends unknown[]>(action: (...args: A) => CommandResult) =>
    async (...args: A) => {
      setExitCode(await action(...args));
    };
  for (const register of [registerInit, registerKey, registerCollect, registerRuns, registerRecords, registerVerify, registerConnectors, registerDemo, registerFixtures, registerDoctor, registerCheck, registerReport, registerExport, registerSample, registerDaemon, registerStatus, registerCoverage, registerCatalog, registerEvidence, registerReadiness, registerException, registerAccessReview, registerServe]) {
    register(program, wrap);
  }
  return program;
}

/** Run the CLI with `argv` (as process.argv) and return the exit code. */
export async function main(argv: string[]): Promise<number> {
  let exitCode = 0;
  const program = buildProgram((code) => {
    exitCode = code;
  });
  try {
    await program.parseAsync(argv);
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      return error.exitCode === 0 ? 0 : EXIT_USAGE;
    }
    const failure = failureOf(error);
    process.stderr.write(`evidentia: ${scrubSecrets(failure.message)}\n`);
    return failure.code;
  }
}
