/**
 * Writing a population file: CSV (a plain table; the IPE header in a
 * `<name>.ipe.json` sidecar), XLSX (a Population sheet and an IPE sheet) or
 * JSONL (the IPE object on the first line, one item per line after it). Rows stream to a temporary file
 * first, already in their final form, because the IPE header names every
 * stream run the rows rest on and so can only be written once all rows are
 * known; the file is then the header followed by the rows. Memory stays flat.
 */
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { once } from 'node:events';
import { pipeline } from 'node:stream/promises';
import type { Writable } from 'node:stream';
import { atomicOutput } from '@evidentia/evidence';
import type { Locker } from '@evidentia/locker';
import type { SourcePlan } from '../checks/sources.js';
import { ledgerFromLocker } from '../coverage/gather.js';
import type { StreamPlan } from '../coverage/types.js';
import { csvCommentLine, csvLine } from './csv.js';
import { coverageGaps, emptyReason, kindsOf, missingSources } from './empty-reason.js';
import { buildIpe, ipeLines, type Ipe } from './ipe.js';
import { POPULATION_KIND_ORDER } from './kind-columns.js';
import { COLUMNS, columnsOf, detailColumnsOf, fullRowOf, population, type PopulationItem, type PopulationQuery } from './population.js';
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

/** The `#` lines of the IPE header (each one CSV cell), a blank line and the column names: everything above a CSV population's rows. */
export function csvHeader(ipe: Ipe): string {
  return [
    csvCommentLine('evidentia population: how this list was produced (IPE) is in these # lines; the table follows the blank line.'),
    ...ipeLines(ipe).map(csvCommentLine),
    csvCommentLine(`ipe-json: ${JSON.stringify(ipe)}`),
    '\r\n',
    csvLine([...COLUMNS]),
  ].join('');
}

export interface PopulationExport {
  ipe: Ipe;
  /** The kind the file holds (null when the population is empty). */
  kind: string | null;
  /** Other kinds that serve the criterion, each a population of its own (`--kind`), with their item counts. */
  otherKinds: Array<{ kind: string; items: number }>;
  /** The IPE sidecar written beside a CSV population (`<name>.ipe.json`), else null. */
  ipeFile: string | null;
}

export interface ExportOptions {
  generatedAt?: Date;
  /** The configured streams, so an empty population can say which stream is missing. */
  sources?: readonly SourcePlan[] | null;
  /** The configured streams' schedules, so the IPE names the open coverage gaps of the streams it draws from. */
  schedules?: readonly StreamPlan[] | null;
}

/** Where a CSV population's IPE header is kept: beside it, so the CSV itself is a plain table any tool opens. */
export function ipeSidecarOf(file: string): string {
  return `${file.replace(/\.csv$/i, '')}.ipe.json`;
}

interface KindRows {
  file: string;
  rows: Writable;
  count: number;
  sources: Set<string>;
  batch: string;
  /** The detail columns its items filled, in first-seen order (a connector's own kind takes them from its data). */
  details: Set<string>;
}

/** The kind a population of several kinds holds: the first of POPULATION_KIND_ORDER, else the first custom kind by name. */
function chooseKind(kinds: Iterable<string>): string | null {
  const present = [...kinds];
  return POPULATION_KIND_ORDER.find((kind) => present.includes(kind)) ?? present.sort()[0] ?? null;
}

/**
 * Write the population of `query` to `file` in `format`: one record kind per file (with `--control`
 * alone, the kind an auditor samples; the others are reported with their counts), its common columns
 * followed by the kind's own. Returns the IPE header (saying why, when it is empty, and naming the streams of the
 * kind, or of any kind serving the criterion, with no usable evidence of the period, whose items it may lack).
 */
export async function exportPopulation(locker: Locker, query: PopulationQuery, format: PopulationFormat, file: string, options: ExportOptions = {}): Promise<PopulationExport> {
  const generatedAt = options.generatedAt ?? new Date();
  // Reserved before the work, so a missing folder is said at once; the file takes its name only when whole.
  const output = await atomicOutput(file);
  const sidecar = format === 'csv' ? await atomicOutput(ipeSidecarOf(file)) : null;
  const scratch = await mkdtemp(join(tmpdir(), 'evidentia-population-'));
  const perKind = new Map<string, KindRows>();
  try {
    const entryOf = (kind: string): KindRows => {
      let entry = perKind.get(kind);
      if (!entry) {
        const rowsFile = join(scratch, `rows-${perKind.size}`);
        entry = { file: rowsFile, rows: createWriteStream(rowsFile), count: 0, sources: new Set(), batch: '', details: new Set() };
        perKind.set(kind, entry);
      }
      return entry;
    };
    for await (const item of population(locker, query, (row, keys) => keys.forEach((key) => entryOf(row.kind).sources.add(key)))) {
      const entry = entryOf(item.kind);
      entry.count++;
      for (const name of Object.keys(item.details)) entry.details.add(name);
      // Rows wait as JSON: a connector's own kind knows its columns only once every item was seen.
      entry.batch += `${JSON.stringify(item)}\n`;
      if (entry.batch.length > 65_536) {
        await writeText(entry.rows, entry.batch);
        entry.batch = '';
      }
    }
    for (const entry of perKind.values()) {
      await writeText(entry.rows, entry.batch);
      await closeStream(entry.rows);
    }
    const kind = query.kind ?? chooseKind(perKind.keys());
    const chosen = kind === null ? undefined : perKind.get(kind);
    const count = chosen?.count ?? 0;
    const plans = options.sources ?? null;
    const reason = count === 0 ? await emptyReason(locker, query, plans) : null;
    // A criterion's population names its other kinds' streams too: a kind that gave nothing is in no file the export names.
    const kinds = [...(kind === null ? [] : [kind]), ...(query.kind === undefined ? kindsOf(query, plans) : [])];
    const ledger = options.schedules?.length ? await ledgerFromLocker(locker, [...options.schedules], query.period, generatedAt) : null;
    const missing = await missingSources(locker, query, kinds, plans);
    const gaps = coverageGaps(ledger, query, kinds, plans, missing);
    const ipe = await buildIpe(locker, { period: query.period, control: query.control, kind: kind ?? query.kind, items: count, sources: chosen?.sources ?? new Set(), generatedAt, emptyReason: reason, missingSources: missing, coverageGaps: gaps });
    const details = detailColumnsOf(kind, [...(chosen?.details ?? [])]);
    const columns = columnsOf(kind, details);
    const rowsOf = chosen ? chosen.file : null;
    if (format === 'xlsx') {
      await writeXlsx(output.path, ipe, kind, rowsOf ? readItems(rowsOf) : emptyItems(), details);
    } else if (format === 'csv') {
      await writeCsv(output.path, columns, details, rowsOf);
    } else {
      const out = createWriteStream(output.path);
      await writeText(out, `${JSON.stringify(ipe)}\n`);
      if (rowsOf) await pipeline(createReadStream(rowsOf), out);
      else await closeStream(out);
    }
    if (sidecar) await writeFile(sidecar.path, `${JSON.stringify({ ...ipe, columns, lines: ipeLines(ipe) }, null, 2)}\n`);
    await output.commit();
    await sidecar?.commit();
    const otherKinds = [...perKind].filter(([other]) => other !== kind).map(([other, entry]) => ({ kind: other, items: entry.count }));
    return { ipe, kind, otherKinds, ipeFile: sidecar ? ipeSidecarOf(file) : null };
  } catch (error) {
    await output.discard();
    await sidecar?.discard();
    for (const entry of perKind.values()) entry.rows.destroy();
    throw error;
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

async function* emptyItems(): AsyncIterable<PopulationItem> {}

/** The CSV table: the column names, then each waiting item as a row under them. */
async function writeCsv(file: string, columns: string[], details: readonly string[], rowsOf: string | null): Promise<void> {
  const out = createWriteStream(file);
  let batch = csvLine(columns);
  for await (const item of rowsOf ? readItems(rowsOf) : emptyItems()) {
    batch += csvLine(fullRowOf(item, details));
    if (batch.length > 65_536) {
      await writeText(out, batch);
      batch = '';
    }
  }
  await writeText(out, batch);
  await closeStream(out);
}
