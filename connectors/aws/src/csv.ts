/**
 * A small RFC 4180 CSV parser for the IAM credential report (no dependency):
 * comma-separated fields, CRLF or LF line ends, double-quoted fields that may
 * hold commas, quotes ("" inside quotes) and line breaks. Malformed quoting
 * is an error, never a silently shifted column.
 */

export class CsvError extends Error {
  override name = 'CsvError';
}

/** Every record of a CSV text as an array of fields. A final line break does not start an empty record. */
export function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let field = '';
  let quoted = false;
  let afterQuote = false;
  let line = 1;
  const endField = () => {
    record.push(field);
    field = '';
    afterQuote = false;
  };
  const endRecord = () => {
    endField();
    records.push(record);
    record = [];
    line++;
  };
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (quoted) {
      if (char !== '"') {
        if (char === '\n') line++;
        field += char;
      } else if (text[i + 1] === '"') {
        field += '"';
        i++;
      } else {
        quoted = false;
        afterQuote = true;
      }
    } else if (char === ',') {
      endField();
    } else if (char === '\n' || (char === '\r' && text[i + 1] === '\n')) {
      if (char === '\r') i++;
      endRecord();
    } else if (afterQuote) {
      throw new CsvError(`line ${line}: unexpected ${JSON.stringify(char)} after a closing quote`);
    } else if (char === '"') {
      if (field !== '') throw new CsvError(`line ${line}: a quote inside an unquoted field`);
      quoted = true;
    } else {
      field += char;
    }
  }
  if (quoted) throw new CsvError(`line ${line}: unterminated quoted field`);
  if (field !== '' || afterQuote || record.length > 0) endRecord();
  return records;
}

/** CSV records as objects keyed by the header row; every row must have as many fields as the header. */
export function csvObjects(text: string): Array<Record<string, string>> {
  const [header, ...rows] = parseCsv(text);
  if (!header) return [];
  return rows.map((row, index) => {
    if (row.length !== header.length) throw new CsvError(`row ${index + 2}: ${row.length} fields where the header has ${header.length}`);
    return Object.fromEntries(header.map((name, column) => [name, row[column] ?? '']));
  });
}
