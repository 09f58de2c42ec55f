/**
 * Writing a population file: CSV (IPE header as `#` lines above the table),
 * XLSX (a Population sheet and an IPE sheet) or JSONL (the IPE object on the
 * first line, one item per line after it). Rows stream to a temporary file
 * first, already in their final form, because the IPE header names every
 * stream run the rows rest on and so can only be written once all rows are
 * known; the file is then the header followed by the rows. Memory stays flat.
 */
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { once } from 'node:events';
import { pipeline } from 'node:stream/promises';
import type { Writable } from 'node:stream';
import { atomicOutput } from '@evidentia/evidence';
import type { Locker } from '@evidentia/locker';
import type { SourcePlan } from '../checks/sources.js';
import { csvLine } from './csv.js';
import { emptyReason } from './empty-reason.js';
import { buildIpe, ipeLines, type Ipe } from './ipe.js';
import { COLUMNS, population, rowOf, type PopulationItem, type PopulationQuery } from './population.js';
import { writeXlsx } from './xlsx.js';

export type PopulationFormat = 'csv' | 'xlsx' | 'jsonl';
export const POPULATION_FORMATS: readonly PopulationFormat[] = ['csv', 'xlsx', 'jsonl'];

/** Write `text`, waiting when the stream asks to. */
export async function writeText(stream: Writable, text: string): Promise<void> {
  if (!stream.write(text)) await once(stream, 'drain');
}

export async function closeStream(stream: Writable): Promise<void> {
  stream.end();
  await once(stream, 'finish');
}

async function* readItems(file: string): AsyncIterable<PopulationItem> {
  for await (const line of createInterface({ input: createReadStream(file), crlfDelay: Infinity })) if (line) yield JSON.parse(line) as PopulationItem;
}

/** The `#` lines of the IPE header, a blank line and the column names: everything above a CSV population's rows. */
export function csvHeader(ipe: Ipe): string {
  const lines = ipeLines(ipe).map((line) => `# ${line.replace(/[\r\n]+/g, ' ')}\n`);
  return [
    '# evidentia population: how this list was produced (IPE) is in these # lines; the table follows the blank line.\n',
    ...lines,
    `# ipe-json: ${JSON.stringify(ipe)}\n\n`,
    csvLine([...COLUMNS]),
  ].join('');
}

export interface PopulationExport {
  ipe: Ipe;
  /** Items per record kind. */
  perKind: Map<string, number>;
}

export interface ExportOptions {
  generatedAt?: Date;
  /** The configured streams, so an empty population can say which stream is missing. */
  sources?: readonly SourcePlan[] | null;
}

/** Write the population of `query` to `file` in `format`; returns its IPE header (saying why, when it is empty) and the items per kind. */
export async function exportPopulation(locker: Locker, query: PopulationQuery, format: PopulationFormat, file: string, options: ExportOptions = {}): Promise<PopulationExport> {
  const generatedAt = options.generatedAt ?? new Date();
  // Reserved before the work, so a missing folder is said at once; the file takes its name only when whole.
  const output = await atomicOutput(file);
  const scratch = await mkdtemp(join(tmpdir(), 'evidentia-population-'));
  try {
    const rowsFile = join(scratch, 'rows');
    const rows = createWriteStream(rowsFile);
    const sources = new Set<string>();
    const perKind = new Map<string, number>();
    let count = 0;
    let batch = '';
    for await (const item of population(locker, query, (_item, keys) => keys.forEach((key) => sources.add(key)))) {
      count++;
      perKind.set(item.kind, (perKind.get(item.kind) ?? 0) + 1);
      batch += format === 'csv' ? csvLine(rowOf(item)) : `${JSON.stringify(item)}\n`;
      if (batch.length > 65_536) {
        await writeText(rows, batch);
        batch = '';
      }
    }
    await writeText(rows, batch);
    await closeStream(rows);
    const reason = count === 0 ? await emptyReason(locker, query, options.sources ?? null) : null;
    const ipe = await buildIpe(locker, { period: query.period, control: query.control, kind: query.kind, items: count, sources, generatedAt, emptyReason: reason });
    if (format === 'xlsx') {
      await writeXlsx(output.path, ipe, readItems(rowsFile));
    } else {
      const out = createWriteStream(output.path);
      await writeText(out, format === 'csv' ? csvHeader(ipe) : `${JSON.stringify(ipe)}\n`);
      await pipeline(createReadStream(rowsFile), out);
    }
    await output.commit();
    return { ipe, perKind };
  } catch (error) {
    await output.discard();
    throw error;
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}
