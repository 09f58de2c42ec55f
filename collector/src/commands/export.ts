/**
 * `evidentia export population|bundle|oscal-catalog|oscal-results`: what an
 * auditor or a GRC tool receives. A population is every item of a criterion
 * in the period with its IPE header; a bundle is the whole period's evidence,
 * verifiable with the public key; the OSCAL documents are the catalogs and
 * the period's results for tools that read OSCAL.
 */
import { extname, resolve } from 'node:path';
import type { Command } from 'commander';
import { findConfig, openLockerFor } from '../context.js';
import { checkPopulationSelector, exportPopulation, POPULATION_FORMATS, type PopulationFormat, readPeriod, sourcePlans, streamPlans, terminalSafe, UsageError, coverageGapWarnings } from '@evidentia/audit';
import type { Wrap } from './wrap.js';
import { registerExportBundle } from './export-bundle.js';
import { registerExportOscal } from './export-oscal.js';

interface PopulationFlags {
  config?: string;
  locker?: string;
  control?: string;
  kind?: string;
  period: string;
  format?: string;
  out: string;
}

function formatOf(flags: PopulationFlags): PopulationFormat {
  const named = extname(flags.out).slice(1).toLowerCase();
  const format = (flags.format ?? named).toLowerCase();
  if (!POPULATION_FORMATS.includes(format as PopulationFormat)) throw new UsageError(`--format expects csv, xlsx or jsonl, got "${format}"`);
  // A file named for another format is read back as that one (sample --population goes by the name): refused as edited.
  if (POPULATION_FORMATS.includes(named as PopulationFormat) && named !== format) throw new UsageError(`--format ${format} does not match --out ${flags.out}: name the file .${format}, or leave --format out`);
  return format as PopulationFormat;
}

export function registerExport(program: Command, wrap: Wrap): void {
  const exporter = program.command('export').description('export populations, an audit bundle or OSCAL documents for the auditor and GRC tools');
  exporter
    .command('population')
    .description('every item of a criterion (or record kind) in the period, with how the list was produced (IPE)')
    .option('--control <id>', 'criterion, e.g. CC8.1')
    .option('--kind <kind>', 'record kind, e.g. change.request, or evidentia.access-review for the access-review decisions')
    .requiredOption('--period <A..B>', 'audit period, e.g. 2026-01-01..2026-06-30')
    .option('--format <format>', 'csv, xlsx or jsonl (default: from the file name)')
    .requiredOption('--out <file>', 'population file to write')
    .option('--config <file>', 'configuration file')
    .option('--locker <dir>', 'locker directory')
    .action(
      wrap(async (flags: PopulationFlags) => {
        if (!flags.control && !flags.kind) throw new UsageError('give --control (e.g. CC8.1) or --kind (e.g. change.request)');
        checkPopulationSelector(flags);
        const config = await findConfig(flags, { credentials: false });
        const period = readPeriod(flags.period, config);
        const format = formatOf(flags);
        // Read before the locker opens: a schedule that cannot be read is said before any work.
        const schedules = config ? streamPlans(config) : null;
        const locker = await openLockerFor(flags);
        try {
          const sources = sourcePlans(config);
          const { ipe, kind, otherKinds, ipeFile } = await exportPopulation(locker, { period, control: flags.control, kind: flags.kind }, format, resolve(flags.out), { sources, schedules });
          // A complete run matched every total the source gave (a total may count only some records: members, not collaborators).
          const incomplete = ipe.sources.filter((source) => source.status !== 'complete');
          process.stdout.write(`${ipe.items} ${kind ?? ''} items from ${ipe.sources.length} stream run(s) written to ${flags.out}${ipeFile ? ` (how it was produced: ${ipeFile})` : ''}\n`.replace(/ {2}/, ' '));
          // One kind per population: the other kinds serving the criterion are populations of their own.
          for (const other of otherKinds) process.stdout.write(`note: ${other.items} ${other.kind} item(s) also serve ${flags.control}: export them with --kind ${other.kind}\n`);
          // The reasons can carry a failed run's error, in the source's own words.
          if (ipe.emptyReason) process.stderr.write(`evidentia: the population is EMPTY because ${terminalSafe(ipe.emptyReason)}\n`);
          // Items from some streams do not make a whole population: a stream of the kind without evidence of the period gave it none.
          else for (const source of ipe.missingSources) process.stderr.write(`evidentia: the population may be INCOMPLETE: ${source.stream} has no usable evidence of the period (${terminalSafe(source.reason)})\n`);
          // Evidence of the period is there, but not for all of it: the items of those times are not in the file.
          // More than three such streams are one line (the IPE header names each).
          for (const line of coverageGapWarnings(ipe.coverageGaps ?? [])) process.stderr.write(`evidentia: ${terminalSafe(line)}\n`);
          for (const source of incomplete) {
            process.stdout.write(`note: ${source.stream} run ${source.runId} is ${source.status}${source.error ? `: ${terminalSafe(source.error)}` : ''}\n`);
          }
          return 0;
        } finally {
          await locker.close();
        }
      }),
    );
  registerExportBundle(exporter, wrap);
  registerExportOscal(exporter, wrap);
}
