/**
 * Reading a population file back (for `evidentia sample --population`), in
 * any of the formats `export population` writes, one row at a time: JSONL
 * (IPE line, then items), CSV (a header row and RFC 4180 rows, the IPE in a
 * `<name>.ipe.json` sidecar, or in `#` lines above the table as the bundle writes it, each a
 * quoted CSV cell, or unquoted in bundles of older versions) or XLSX (the Population sheet, then the IPE sheet). A file
 * that is cut short or is not a population is refused with what is wrong
 * and where (line or row), never read as a shorter population: a CSV row
 * must have the header's columns and end with a line break, every JSONL line
 * must parse as a JSON object and the last must be complete, a workbook must be readable, and
 * every row must name a record by its SHA-256.
 */
import { createReadStream } from 'node:fs';
import { open, readFile, stat } from 'node:fs/promises';
import { extname } from 'node:path';
import { createInterface } from 'node:readline';
import { loadExcelJS } from '../exceljs.js';
import { UsageError } from '../errors.js';
import { csvRecords, CsvTruncatedError } from './csv-records.js';
import { ipeSidecarOf } from './export-population.js';
import { POPULATION_FORMAT, type Ipe } from './ipe.js';
import { COLUMNS, type PopulationItem } from './population.js';

export interface PopulationRow {
  kind: string;
  system: string;
  key: string;
  summary: string;
  recordHash: string;
}

/** A population file that cannot be trusted to be whole: exit 2 with the file and where. */
export class PopulationFileError extends UsageError {
  override name = 'PopulationFileError';
  constructor(file: string, where: string | null, problem: string) {
    super(`--population ${file}${where ? ` ${where}` : ''}: ${problem}`);
  }
}

const HASH = /^[0-9a-f]{64}$/;

function checked(file: string, where: string, row: PopulationRow): PopulationRow {
  if (!HASH.test(row.recordHash)) throw new PopulationFileError(file, where, `record hash ${JSON.stringify(row.recordHash.slice(0, 80))} is not a SHA-256: the file is truncated, edited or not a population written by evidentia`);
  return row;
}

function fromCells(cells: string[], header: string[]): PopulationRow {
  const at = (name: (typeof COLUMNS)[number]) => cells[header.indexOf(name)] ?? '';
  return { kind: at('kind'), system: at('system'), key: at('key'), summary: at('summary'), recordHash: at('record_hash') };
}

function ipeOf(file: string, where: string | null, json: string): Partial<Ipe> {
  try {
    return JSON.parse(json) as Ipe;
  } catch (error) {
    throw new PopulationFileError(file, where, `the IPE header (ipe-json) is not valid JSON (${(error as Error).message}): the file is truncated or edited`);
  }
}

/** A CSV population's IPE sidecar (`<name>.ipe.json`), or null when there is none. */
async function sidecarIpe(file: string): Promise<Partial<Ipe> | null> {
  const sidecar = ipeSidecarOf(file);
  const text = await readFile(sidecar, 'utf8').catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return null;
    throw new PopulationFileError(file, null, `its IPE sidecar ${sidecar} cannot be read: ${error.message}`);
  });
  if (text === null) return null;
  const value = ipeOf(sidecar, null, text);
  if (value.format !== POPULATION_FORMAT) throw new PopulationFileError(file, null, `its IPE sidecar ${sidecar} is not an evidentia population header`);
  return value;
}

async function* csvRows(file: string, ipe: { value: Partial<Ipe> | null }): AsyncIterable<PopulationRow> {
  // The IPE header is in a sidecar (export population) or in `#` lines above the table (the bundle's populations).
  ipe.value = await sidecarIpe(file);
  let header: string[] | null = null;
  let row = 0;
  const onComment = (line: string, at: number) => {
    if (line.startsWith(' ipe-json: ')) ipe.value = ipeOf(file, `line ${at}`, line.slice(' ipe-json: '.length));
  };
  try {
    for await (const { cells, line, complete } of csvRecords(createReadStream(file, 'utf8'), onComment)) {
      if (cells.join('') === '') continue;
      if (!complete) throw new PopulationFileError(file, `line ${line}`, 'the last row does not end with a line break: the file is truncated');
      if (header === null) {
        header = cells;
        if (!header.includes('record_hash')) throw new PopulationFileError(file, `line ${line}`, 'the header row has no record_hash column: not a population written by evidentia');
        continue;
      }
      row++;
      if (cells.length !== header.length) throw new PopulationFileError(file, `line ${line} (row ${row})`, `${cells.length} field(s) where the header has ${header.length}: the file is truncated or edited`);
      yield checked(file, `line ${line} (row ${row})`, fromCells(cells, header));
    }
  } catch (error) {
    if (error instanceof CsvTruncatedError) throw new PopulationFileError(file, `line ${error.line}`, `${error.message}: the file is truncated`);
    throw error;
  }
  if (header === null) throw new PopulationFileError(file, null, 'no header row: the file is empty, truncated or not a population written by evidentia');
  if (ipe.value === null) throw new PopulationFileError(file, null, `no IPE header: keep ${ipeSidecarOf(file)} beside the population (it says how the list was produced and how many rows it holds)`);
}

/** Whether the file's last byte is a line break (evidentia ends every line with one). */
async function endsWithNewline(file: string): Promise<boolean> {
  const handle = await open(file, 'r');
  try {
    const { size } = await handle.stat();
    if (size === 0) return true;
    const last = Buffer.alloc(1);
    await handle.read(last, 0, 1, size - 1);
    return last[0] === 0x0a;
  } finally {
    await handle.close();
  }
}

async function* jsonlRows(file: string, ipe: { value: Partial<Ipe> | null }): AsyncIterable<PopulationRow> {
  let first = true;
  let number = 0;
  for await (const line of createInterface({ input: createReadStream(file), crlfDelay: Infinity })) {
    number++;
    if (!line) continue;
    let parsed: unknown;
    try {
      parsed = JSON.parse(line);
    } catch (error) {
      throw new PopulationFileError(file, `line ${number}`, `not valid JSON (${(error as Error).message}): the file is truncated or edited`);
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new PopulationFileError(file, `line ${number}`, `${line.slice(0, 80)} is not a JSON object: the file is edited or not a population written by evidentia`);
    const value = parsed as PopulationItem & Partial<Ipe>;
    if (first) {
      first = false;
      if (value.format !== POPULATION_FORMAT) throw new PopulationFileError(file, 'line 1', 'does not start with an evidentia population header');
      ipe.value = value;
      continue;
    }
    yield checked(file, `line ${number}`, { kind: value.kind, system: value.system, key: value.key, summary: value.summary, recordHash: String(value.recordHash ?? '') });
  }
  if (first) throw new PopulationFileError(file, null, 'the file is empty: no population header and no rows');
  if (!(await endsWithNewline(file))) throw new PopulationFileError(file, `line ${number}`, 'the last line does not end with a line break: the file is truncated');
}

async function* xlsxRows(file: string, ipe: { value: Partial<Ipe> | null }): AsyncIterable<PopulationRow> {
  const reader = new (await loadExcelJS()).stream.xlsx.WorkbookReader(file, { sharedStrings: 'cache', worksheets: 'emit' });
  let sheets = 0;
  let json = '';
  try {
    for await (const sheet of reader) {
      sheets++;
      let header: string[] | null = null;
      let number = 0;
      for await (const row of sheet) {
        number++;
        const values = (row.values as unknown[]).slice(1).map((value) => (value === null || value === undefined ? '' : String(value)));
        // The Population sheet comes first; the IPE sheet after it carries the header as ipe-json rows.
        if (sheets > 1) {
          if (values[0]?.startsWith('ipe-json: ')) json += values[0].slice('ipe-json: '.length);
          continue;
        }
        if (header === null) {
          header = values;
          if (!header.includes('record_hash')) throw new PopulationFileError(file, 'sheet 1 row 1', 'the header row has no record_hash column: not a population written by evidentia');
        } else yield checked(file, `sheet 1 row ${number}`, fromCells(values, header));
      }
      if (sheets === 1 && header === null) throw new PopulationFileError(file, 'sheet 1', 'no header row: the workbook is empty or not a population written by evidentia');
    }
  } catch (error) {
    if (error instanceof UsageError) throw error;
    throw new PopulationFileError(file, null, `not a readable workbook (${(error as Error).message}): the file is truncated or not an .xlsx population`);
  }
  if (sheets === 0) throw new PopulationFileError(file, null, 'the workbook has no sheet: not a population written by evidentia');
  if (json !== '') ipe.value = ipeOf(file, 'sheet IPE', json);
}

/**
 * The rows of `read` once `file` is known to be a file: a directory under a
 * population's name opens, and its first read then fails without naming any
 * path (what the CLI would print as a bug); a missing file is named by Node.
 */
async function* fromFile(file: string, read: () => AsyncIterable<PopulationRow>): AsyncIterable<PopulationRow> {
  const found = await stat(file);
  if (!found.isFile()) throw new PopulationFileError(file, null, `is ${found.isDirectory() ? 'a directory' : 'not a regular file'}, not a population file`);
  yield* read();
}

/** The rows of a population file, in file order; `ipe.value` is filled with its header when the format carries one. */
export function readPopulation(file: string, ipe: { value: Partial<Ipe> | null } = { value: null }): AsyncIterable<PopulationRow> {
  const format = extname(file).slice(1).toLowerCase();
  if (format === 'csv') return fromFile(file, () => csvRows(file, ipe));
  if (format === 'jsonl') return fromFile(file, () => jsonlRows(file, ipe));
  if (format === 'xlsx') return fromFile(file, () => xlsxRows(file, ipe));
  throw new UsageError(`--population ${file}: expected a .csv, .xlsx or .jsonl file written by \`evidentia export population\``);
}
