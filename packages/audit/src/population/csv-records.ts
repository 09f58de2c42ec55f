/**
 * RFC 4180 records from text chunks, with the line each starts on, so a
 * population file that is cut short or edited is refused naming the line.
 * Quoted fields may hold commas, quotes and newlines. Before the first
 * non-empty record, a line that starts with `#` is a comment, handed to
 * `onComment` whole with its line number.
 */
export interface CsvRecord {
  cells: string[];
  /** Line the record starts on, from 1. */
  line: number;
  /** False for a last record without a line break after it (the file ends inside it). */
  complete: boolean;
}

export class CsvTruncatedError extends Error {
  override name = 'CsvTruncatedError';
  constructor(readonly line: number) {
    super(`the file ends inside a quoted field that starts on line ${line}`);
  }
}

export async function* csvRecords(chunks: AsyncIterable<string | Buffer>, onComment: (line: string, at: number) => void = () => {}): AsyncIterable<CsvRecord> {
  let field = '';
  let record: string[] = [];
  let quoted = false;
  let afterQuote = false;
  let comment: string | null = null;
  let preamble = true;
  let line = 1;
  let start = 1;
  let quoteLine = 1;
  for await (const chunk of chunks) {
    for (const char of chunk.toString()) {
      if (comment !== null) {
        if (char === '\n') {
          onComment(comment, line);
          comment = null;
          start = ++line;
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
        if (char === '\n') line++;
        continue;
      }
      if (char === '"') {
        if (afterQuote) field += '"';
        quoted = true;
        quoteLine = line;
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
        yield { cells: record, line: start, complete: true };
        [record, field] = [[], ''];
        start = ++line;
      } else field += char;
    }
  }
  if (quoted) throw new CsvTruncatedError(quoteLine);
  if (comment !== null) onComment(comment, line);
  else if (field !== '' || record.length > 0) yield { cells: [...record, field], line: start, complete: false };
}
