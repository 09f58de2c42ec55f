/**
 * `evidentia doctor`: check each configured connector's credentials and
 * permissions against the live system, without collecting anything, and say
 * exactly what is missing. Exit 1 when any check fails.
 */
import type { Command } from 'commander';
import { type DoctorCheck, runDoctor } from '@evidentia/sdk';
import { renderTable, UsageError } from '@evidentia/audit';
import { scrubSecretsIn } from '../config/known-secrets.js';
import type { ConnectorInstance } from '../config/load.js';
import { requireConfig } from '../context.js';
import type { Wrap } from './wrap.js';

export function registerDoctor(program: Command, wrap: Wrap): void {
  program
    .command('doctor')
    .description("check each connector's credentials and permissions (collects nothing)")
    .option('--config <file>', 'configuration file')
    .option('--connector <id...>', 'only these connector entries')
    .option('--json', 'print JSON')
    .action(
      wrap(async (flags: { config?: string; connector?: string[]; json?: boolean }) => {
        const config = await requireConfig(flags);
        for (const id of flags.connector ?? []) {
          if (!config.instances.some((instance) => instance.id === id)) throw new UsageError(`--connector ${id}: no such connector in ${config.file}`);
        }
        // Nothing checked is not "all checks passed".
        if (config.instances.length === 0) throw new UsageError(`${config.file} enables no connector: nothing to check`);
        const results = await doctorChecks(config.instances.filter((candidate) => !flags.connector || flags.connector.includes(candidate.id)));
        const failed = results.some((result) => result.checks.some((check) => !check.ok));
        if (flags.json) process.stdout.write(`${JSON.stringify(results, null, 2)}\n`);
        else {
          const rows = results.flatMap((result) => result.checks.map((check) => [result.connector, check.ok ? 'ok' : 'MISSING', check.name, check.detail]));
          process.stdout.write(renderTable(['connector', 'result', 'check', 'detail'], rows));
          process.stdout.write(failed ? 'doctor found problems: fix the MISSING lines above\n' : 'all checks passed\n');
        }
        return failed ? 1 : 0;
      }),
    );
}

/**
 * Each connector's checks, one connector after the other. A connector whose
 * checks do not finish within its time limit fails, naming itself and the
 * limit, and the next connector is checked.
 */
export async function doctorChecks(instances: ConnectorInstance[]): Promise<Array<{ connector: string; checks: DoctorCheck[] }>> {
  const results: Array<{ connector: string; checks: DoctorCheck[] }> = [];
  for (const instance of instances) {
    const checks = await runDoctor({
      connector: instance.definition,
      instance: instance.id,
      config: instance.config,
      ...(instance.doctorTimeoutMs !== undefined ? { timeLimitMs: instance.doctorTimeoutMs } : {}),
      timeLimitSetting: `connectors.${instance.id}.doctorTimeoutSeconds`,
    });
    // A check's detail is the connector's own words, or an API's error: scrubbed of every secret of the config.
    results.push({ connector: instance.id, checks: scrubSecretsIn(checks) });
  }
  return results;
}
