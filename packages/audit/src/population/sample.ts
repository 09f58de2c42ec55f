/**
 * Drawing a sample from a population file: count the rows (and digest them),
 * pick row numbers with the seeded generator, then read the file again to
 * collect the picked rows, so a population of any size is never held in
 * memory. The sample records everything needed to re-run it: the method, the
 * seed, the population's size, the SHA-256 of the file and a digest of its
 * record hashes (the same whatever the file's format). An empty population,
 * one whose row count differs from its IPE header's, and a size above the
 * population's are refused (the last unless every item is asked for).
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { basename } from 'node:path';
import { UsageError } from '../errors.js';
import { terminalSafe } from '../table.js';
import type { CoverageGapSource, MissingSource } from './empty-reason.js';
import type { Ipe } from './ipe.js';
import { PopulationFileError, readPopulation, type PopulationRow } from './read-population.js';
import { SAMPLING_METHOD, sampleRows } from './seeded-random.js';

export const SAMPLE_FORMAT = 'evidentia.sample/1';

export interface SamplePick extends PopulationRow {
  /** Order of drawing, from 1. */
  pick: number;
  /** Row number in the population, from 1. */
  row: number;
}

export interface Sample {
  format: typeof SAMPLE_FORMAT;
  method: typeof SAMPLING_METHOD;
  seed: string;
  size: number;
  /** Every item was drawn because --all was given (with no size, or a size above the population's). */
  all: boolean;
  population: {
    /** The population file's name, or the arguments that computed the population from the locker. */
    file: string;
    /** SHA-256 of the file; for a population computed from the locker, of its item lines (sample-query.ts). */
    sha256: string;
    /** SHA-256 of the record hashes in row order, each followed by a newline. */
    recordDigest: string;
    items: number;
    criterion: string | null;
    kind: string | null;
    /** As the IPE header names it: `requested` is the period as typed when its end was after now and was cut to `until`. */
    period: Ipe['period'] | null;
    generatedAt: string | null;
    /**
     * The other kinds serving the criterion, each a population of its own (`--kind`) that this sample did not
     * draw from; known for a population computed from the locker, empty for a file (`export population` named them).
     */
    otherKinds: Array<{ kind: string; items: number }>;
    /** As the IPE header names them: streams of the kind with no usable evidence of the period, whose items the population may lack. */
    missingSources: MissingSource[];
    /** As the IPE header names them: streams of the kind with open coverage gaps in the period, whose items of that time it lacks. */
    coverageGaps: CoverageGapSource[];
  };
  picks: SamplePick[];
}

/**
 * Control characters (line breaks, tabs, C1) and bidirectional controls: a seed is written into the sample's
 * header lines and its re-run command, where a line break would start a new line (in a CSV, a cell a
 * spreadsheet could read as a formula) and a bidi control would hide what the command says.
 */
const SEED_CONTROL = /[\p{Cc}\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/u;

/** What makes `seed` unusable, or null when it is plain text. */
export function seedProblem(seed: string): string | null {
  const control = SEED_CONTROL.exec(seed)?.[0];
  if (control === undefined) return null;
  return `holds the control character U+${control.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}: give a seed of plain text`;
}

async function fileSha256(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** Why an empty population is empty, as its IPE header says (absent in files from older versions). */
/** A list read from a population file's IPE header (a file handed over, perhaps edited): the entries of the expected shape. */
const listOf = <T>(value: unknown, shape: (entry: Record<string, unknown>) => boolean): T[] =>
  Array.isArray(value) ? (value.filter((entry) => typeof entry === 'object' && entry !== null && shape(entry as Record<string, unknown>)) as T[]) : [];
const isMissingSource = (entry: Record<string, unknown>) => typeof entry.stream === 'string' && typeof entry.kind === 'string' && typeof entry.reason === 'string';
const isGapSource = (entry: Record<string, unknown>) => typeof entry.stream === 'string' && typeof entry.kind === 'string' && Array.isArray(entry.gaps) && entry.gaps.every((gap) => typeof gap === 'string');

const emptyBecause = (ipe: Partial<Ipe> | null) => (ipe?.emptyReason ? ` (${terminalSafe(ipe.emptyReason)})` : '');

/** The sample size to draw: `size`, or every item with `all` when no size is given or it exceeds the population. */
function sizeToDraw(file: string, items: number, size: number | null, all: boolean): number {
  if (size === null || size > items) {
    if (all) return items;
    if (size === null) throw new UsageError('give --size N, or --all to draw every item');
    throw new UsageError(`--size ${size} is more than the ${items} item(s) of the population in ${file}; pass --all to draw every item`);
  }
  return size;
}

export async function drawSample(file: string, size: number | null, seed: string, options: { all?: boolean } = {}): Promise<Sample> {
  const ipe: { value: Partial<Ipe> | null } = { value: null };
  const digest = createHash('sha256');
  let items = 0;
  for await (const row of readPopulation(file, ipe)) {
    items++;
    digest.update(`${row.recordHash}\n`);
  }
  if (items === 0) throw new PopulationFileError(file, null, `the population has no rows${emptyBecause(ipe.value)}: there is nothing to sample`);
  if (typeof ipe.value?.items === 'number' && ipe.value.items !== items) {
    throw new PopulationFileError(file, null, `its IPE header says ${ipe.value.items} item(s) but it holds ${items} row(s): the file is truncated or edited`);
  }
  const drawn = sizeToDraw(file, items, size, options.all ?? false);
  const rows = sampleRows(items, drawn, seed);
  const order = new Map(rows.map((row, index) => [row, index + 1]));
  const picks: SamplePick[] = [];
  let row = 0;
  for await (const item of readPopulation(file)) {
    row++;
    const pick = order.get(row);
    if (pick !== undefined) picks.push({ pick, row, ...item });
  }
  picks.sort((a, b) => a.pick - b.pick);
  return {
    format: SAMPLE_FORMAT,
    method: SAMPLING_METHOD,
    seed,
    size: rows.length,
    all: options.all === true && drawn === items && size !== items,
    population: {
      file: basename(file),
      sha256: await fileSha256(file),
      recordDigest: digest.digest('hex'),
      items,
      criterion: ipe.value?.criterion ?? null,
      kind: ipe.value?.kind ?? null,
      period: ipe.value?.period ?? null,
      generatedAt: ipe.value?.generatedAt ?? null,
      otherKinds: [],
      missingSources: listOf(ipe.value?.missingSources, isMissingSource),
      coverageGaps: listOf(ipe.value?.coverageGaps, isGapSource),
    },
    picks,
  };
}
