/**
 * Reading a population file back (for `evidentia sample --population`), in
 * any of the formats `export population` writes, one row at a time: JSONL
 * (IPE line, then items), CSV (`#` IPE lines, a blank line, a header row,
 * RFC 4180 rows) or XLSX (the Population sheet).
 */
import { createReadStream } from 'node:fs';
import { extname } from 'node:path';
import { createInterface } from 'node:readline';
import ExcelJS from 'exceljs';
import { UsageError } from '../errors.js';
import { POPULATION_FORMAT, type Ipe } from './ipe.js';
import { COLUMNS, type PopulationItem } from './population.js';

export interface PopulationRow {
  kind: string;
  system: string;
  key: string;
  summary: string;
  recordHash: string;
}

/**
 * RFC 4180 records from text chunks (quoted fields may hold commas, quotes
 * and newlines). Before the first non-empty record, a line that starts with
 * `#` is a comment, handed to `onComment` whole.
 */
export async function* csvRecords(chunks: AsyncIterable<string | Buffer>, onComment: (line: string) => void = () => {}): AsyncIterable<string[]> {
  let field = '';
  let record: string[] = [];
  let quoted = false;
  let afterQuote = false;
  let comment: string | null = null;
  let preamble = true;
  for await (const chunk of chunks) {
    for (const char of chunk.toString()) {
      if (comment !== null) {
        if (char === '\n') {
          onComment(comment);
          comment = null;
        } else comment += char;
        continue;
      }
      if (preamble && char === '#' && field === '' && record.length === 0 && !quoted && !afterQuote) {
        comment = '';
        continue;
      }
      if (quoted) {
        if (char === '"') [quoted, afterQuote] = [false, true];
        else field += char;
        continue;
      }
      if (char === '"') {
        if (afterQuote) field += '"';
        quoted = true;
        afterQuote = false;
        continue;
      }
      afterQuote = false;
      if (char === ',') {
        record.push(field);
        field = '';
      } else if (char === '\n') {
        record.push(field.endsWith('\r') ? field.slice(0, -1) : field);
        if (record.join('') !== '') preamble = false;
        yield record;
        [record, field] = [[], ''];
      } else field += char;
    }
  }
  if (field !== '' || record.length > 0) yield [...record, field];
}

function fromCells(cells: string[], header: string[]): PopulationRow {
  const at = (name: (typeof COLUMNS)[number]) => cells[header.indexOf(name)] ?? '';
  return { kind: at('kind'), system: at('system'), key: at('key'), summary: at('summary'), recordHash: at('record_hash') };
}

async function* csvRows(file: string, ipe: { value: Partial<Ipe> | null }): AsyncIterable<PopulationRow> {
  let header: string[] | null = null;
  const onComment = (line: string) => {
    if (line.startsWith(' ipe-json: ')) ipe.value = JSON.parse(line.slice(' ipe-json: '.length)) as Ipe;
  };
  for await (const cells of csvRecords(createReadStream(file, 'utf8'), onComment)) {
    if (header === null) {
      if (cells.join('') === '') continue;
      header = cells;
      if (!header.includes('record_hash')) throw new UsageError(`${file} has no record_hash column: not a population written by evidentia`);
      continue;
    }
    yield fromCells(cells, header);
  }
}

async function* jsonlRows(file: string, ipe: { value: Partial<Ipe> | null }): AsyncIterable<PopulationRow> {
  let first = true;
  for await (const line of createInterface({ input: createReadStream(file), crlfDelay: Infinity })) {
    if (!line) continue;
    const value = JSON.parse(line) as PopulationItem & Partial<Ipe>;
    if (first) {
      first = false;
      if (value.format !== POPULATION_FORMAT) throw new UsageError(`${file} does not start with an evidentia population header`);
      ipe.value = value;
      continue;
    }
    yield { kind: value.kind, system: value.system, key: value.key, summary: value.summary, recordHash: value.recordHash };
  }
}

async function* xlsxRows(file: string): AsyncIterable<PopulationRow> {
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(file, { sharedStrings: 'cache', worksheets: 'emit' });
  for await (const sheet of reader) {
    let header: string[] | null = null;
    for await (const row of sheet) {
      const values = (row.values as unknown[]).slice(1).map((value) => (value === null || value === undefined ? '' : String(value)));
      if (header === null) header = values;
      else yield fromCells(values, header);
    }
    // The Population sheet is the first; the IPE sheet after it is not rows.
    return;
  }
}

/** The rows of a population file, in file order; `ipe.value` is filled with its header when the format carries one. */
export function readPopulation(file: string, ipe: { value: Partial<Ipe> | null } = { value: null }): AsyncIterable<PopulationRow> {
  const format = extname(file).slice(1).toLowerCase();
  if (format === 'csv') return csvRows(file, ipe);
  if (format === 'jsonl') return jsonlRows(file, ipe);
  if (format === 'xlsx') return xlsxRows(file);
  throw new UsageError(`--population ${file}: expected a .csv, .xlsx or .jsonl file written by \`evidentia export population\``);
}
