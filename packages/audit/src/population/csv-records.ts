/**
 * RFC 4180 records from text chunks, with the line each starts on, so a
 * population file that is cut short or edited is refused naming the line.
 * Quoted fields may hold commas, quotes and newlines. Before the first
 * non-empty record, a comment is handed to `onComment` (its text after the
 * `#`, with the line it starts on) rather than yielded: a record of one cell
 * that starts with `#` (evidentia quotes it when it holds a comma or a
 * quote), or a line that starts with `#` taken as is, as older versions
 * wrote every one. A byte order mark at the start of the file is skipped.
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
  let first = true;
  for await (const chunk of chunks) {
    let text = chunk.toString();
    // A spreadsheet saving "CSV UTF-8" starts the file with a byte order mark; it is not part of the first cell.
    if (first && text !== '') [first, text] = [false, text.replace(/^\uFEFF/, '')];
    for (const char of text) {
      if (comment !== null) {
        if (char === '\n') {
          onComment(comment.endsWith('\r') ? comment.slice(0, -1) : comment, line);
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
        const [only] = record;
        if (preamble && record.length === 1 && only?.startsWith('#')) onComment(only.slice(1), start);
        else {
          if (record.join('') !== '') preamble = false;
          yield { cells: record, line: start, complete: true };
        }
        [record, field] = [[], ''];
        start = ++line;
      } else field += char;
    }
  }
  if (quoted) throw new CsvTruncatedError(quoteLine);
  if (comment !== null) onComment(comment, line);
  else if (field !== '' || record.length > 0) yield { cells: [...record, field], line: start, complete: false };
}
