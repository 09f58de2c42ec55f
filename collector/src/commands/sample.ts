/**
 * `evidentia sample`: a reproducible random sample from a population file or
 * from the population of a criterion computed on the spot. The same seed and
 * population always give the same sample; without --seed a random seed is
 * chosen and written with the sample so the auditor can re-run it. An
 * empty, truncated or unparsable population is refused (exit 2, naming the
 * file and line), and so is a size above the population's unless --all.
 */
import { randomBytes } from 'node:crypto';
import { extname, resolve } from 'node:path';
import type { Command } from 'commander';
import { findConfig, openLockerFor } from '../context.js';
import { checkPopulationSelector, drawSample, ipeSidecarOf, readPeriod, renderSample, type Sample, sampleCsv, sampleOfQuery, seedProblem, sourcePlans, streamPlans, UsageError } from '@evidentia/audit';
import { writeFileAtomic } from '@evidentia/evidence';
import type { Wrap } from './wrap.js';

interface SampleFlags {
  config?: string;
  locker?: string;
  population?: string;
  control?: string;
  kind?: string;
  period?: string;
  size: string;
  seed?: string;
  out?: string;
  json?: boolean;
  all?: boolean;
}

async function sampleOfControl(flags: SampleFlags, size: number | null, seed: string): Promise<Sample> {
  if (!flags.period) throw new UsageError('--control and --kind need --period A..B');
  checkPopulationSelector(flags);
  const config = await findConfig(flags, { credentials: false });
  const period = readPeriod(flags.period, config);
  const schedules = config ? streamPlans(config) : null;
  const locker = await openLockerFor(flags);
  try {
    const sources = sourcePlans(config);
    return await sampleOfQuery(locker, { period, control: flags.control, kind: flags.kind }, size, seed, { periodText: flags.period, all: flags.all, sources, schedules });
  } finally {
    await locker.close();
  }
}

export function registerSample(program: Command, wrap: Wrap): void {
  program
    .command('sample')
    .description('draw a reproducible random sample (same seed and population, same sample)')
    .option('--population <file>', 'a population file from `evidentia export population` (.csv, .xlsx or .jsonl)')
    .option('--control <id>', 'or: the population of this criterion, e.g. CC8.1 (needs --period)')
    .option('--kind <kind>', 'or: the population of this record kind, or evidentia.access-review (needs --period)')
    .option('--period <A..B>', 'audit period for --control/--kind')
    .option('--size <n>', 'how many items to draw (at most the population size)')
    .option('--all', 'draw every item when --size is missing or above the population size (said in the sample)')
    .option('--seed <text>', 'seed of the generator (default: a random one, printed with the sample)')
    .option('--out <file>', 'write the sample to a .csv or .json file')
    .option('--json', 'print the sample as JSON')
    .option('--config <file>', 'configuration file')
    .option('--locker <dir>', 'locker directory')
    .action(
      wrap(async (flags: SampleFlags) => {
        const size = flags.size === undefined ? null : Number(flags.size);
        if (size === null && !flags.all) throw new UsageError('give --size N (or --all to draw every item)');
        if (size !== null && (!Number.isSafeInteger(size) || size < 1)) throw new UsageError(`--size expects a positive whole number, got "${flags.size}"`);
        if (Boolean(flags.population) === Boolean(flags.control || flags.kind)) throw new UsageError('give either --population FILE or --control/--kind with --period');
        const seed = flags.seed ?? randomBytes(16).toString('hex');
        const problem = seedProblem(seed);
        if (problem) throw new UsageError(`--seed ${problem}`);
        if (flags.population && flags.out) {
          // The sample is written whole over whatever --out names: never over the population it is drawn from.
          const population = resolve(flags.population);
          if ([population, ipeSidecarOf(population)].includes(resolve(flags.out))) {
            throw new UsageError(`--out ${flags.out} would replace the population ${flags.population} or its IPE header: write the sample to a file of its own`);
          }
        }
        const sample = flags.population ? await drawSample(flags.population, size, seed, { all: flags.all }) : await sampleOfControl(flags, size, seed);
        if (flags.out) {
          const format = extname(flags.out).toLowerCase();
          if (format !== '.csv' && format !== '.json') throw new UsageError(`--out ${flags.out}: expected a .csv or .json file`);
          await writeFileAtomic(flags.out, format === '.csv' ? sampleCsv(sample) : `${JSON.stringify(sample, null, 2)}\n`);
        }
        process.stdout.write(flags.json ? `${JSON.stringify(sample, null, 2)}\n` : renderSample(sample));
        return 0;
      }),
    );
}
