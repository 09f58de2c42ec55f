/**
 * A sample drawn from the population of a criterion or kind computed on the
 * spot (not from a file the auditor holds): the population is written as
 * JSONL to a scratch folder and sampled from there, so `evidentia sample
 * --kind` and the portal's sample form draw the same rows for the same seed.
 * The sample names its period as instants, so its re-run line draws from
 * the same span however much later it is run, and the other kinds serving
 * the criterion, which are populations of their own it did not draw from.
 * Its `sha256` is of the population's item lines (the JSONL after its IPE
 * line, as `export population --format jsonl` writes them), since no file is
 * handed over and the scratch file's IPE line holds the moment it was written:
 * the same population drawn again has the same digests, a changed one others.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Locker } from '@evidentia/locker';
import type { SourcePlan } from '../checks/sources.js';
import type { StreamPlan } from '../coverage/types.js';
import { UsageError } from '../errors.js';
import { terminalSafe } from '../table.js';
import { exportPopulation } from './export-population.js';
import type { PopulationQuery } from './population.js';
import { drawSample, type Sample } from './sample.js';

export interface QuerySampleOptions {
  /** The period as the user typed it, named when its population is empty. */
  periodText: string;
  all?: boolean;
  sources?: readonly SourcePlan[] | null;
  /** The configured streams' schedules: the sample names the open coverage gaps of the streams its population draws from. */
  schedules?: readonly StreamPlan[] | null;
}

/** SHA-256 of a JSONL population's bytes after its first line (the IPE header): its items alone. */
async function itemLinesSha256(file: string): Promise<string> {
  const hash = createHash('sha256');
  let header = true;
  for await (const chunk of createReadStream(file)) {
    let bytes = chunk as Buffer;
    if (header) {
      const end = bytes.indexOf(0x0a);
      if (end < 0) continue;
      header = false;
      bytes = bytes.subarray(end + 1);
    }
    hash.update(bytes);
  }
  return hash.digest('hex');
}

export async function sampleOfQuery(locker: Locker, query: PopulationQuery, size: number | null, seed: string, options: QuerySampleOptions): Promise<Sample> {
  const scratch = await mkdtemp(join(tmpdir(), 'evidentia-sample-'));
  try {
    const file = join(scratch, `population-${query.control ?? query.kind}.jsonl`);
    const { ipe, otherKinds } = await exportPopulation(locker, query, 'jsonl', file, { sources: options.sources, schedules: options.schedules });
    const selector = query.control ? `--control ${query.control}` : `--kind ${query.kind}`;
    // The reason can carry a failed run's error, in the source's own words.
    if (ipe.emptyReason) throw new UsageError(`the population of ${selector} in --period ${options.periodText} is empty because ${terminalSafe(ipe.emptyReason)}: there is nothing to sample`);
    const sample = await drawSample(file, size, seed, { all: options.all });
    // Not a file the auditor has: name the arguments that recompute the same population instead, with the period as the
    // instants it was read as, since the text as typed is read against the clock again (an end after now is a later now).
    const period = `--period ${query.period.since.toISOString()}..${query.period.until.toISOString()}`;
    return { ...sample, population: { ...sample.population, coverageGaps: ipe.coverageGaps ?? [], file: `${selector} ${period}`, sha256: await itemLinesSha256(file), otherKinds } };
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}
