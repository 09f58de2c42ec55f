import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { sha256Hex } from '@evidentia/evidence';
import { UsageError } from '../errors.js';
import { readOfficialTextFile } from './official-text-file.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'evidentia-official-text-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function file(name: string, content: string | Buffer): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, content);
  return path;
}

/** Every text here is made up: real standard text must never appear in the repository. */
describe('readOfficialTextFile: CSV', () => {
  it('reads a BOM, quoted cells spanning lines, and numbers rows as a spreadsheet does', async () => {
    const content = '\uFEFFID,Text,Note\r\nCC6.1,"Synthetic text for CC6.1,\r\nits second line and a ""quote"""\r\n\r\nCC6.2,Synthetic text for CC6.2\r\n';
    const path = await file('bom.csv', content);
    const read = await readOfficialTextFile(path);
    expect(read).toMatchObject({ name: 'bom.csv', sha256: sha256Hex(Buffer.from(content)), sheet: null, idColumn: 'ID', textColumn: 'Text' });
    expect(read.rows).toEqual([
      { row: 2, id: 'CC6.1', text: 'Synthetic text for CC6.1,\r\nits second line and a "quote"' },
      { row: 3, id: '', text: '' },
      { row: 4, id: 'CC6.2', text: 'Synthetic text for CC6.2' },
    ]);
  });

  it('reads semicolon-separated files (Excel in many locales) and named columns', async () => {
    const path = await file('semicolon.csv', 'Ref;Wording\nA.5.15;Synthetic text, with a comma\n');
    const read = await readOfficialTextFile(path, { idColumn: 'ref', textColumn: 'WORDING' });
    expect(read.rows).toEqual([{ row: 2, id: 'A.5.15', text: 'Synthetic text, with a comma' }]);
  });

  it('names the columns it found when one is missing', async () => {
    const path = await file('columns.csv', 'Control,Text\nCC6.1,Synthetic\n');
    await expect(readOfficialTextFile(path)).rejects.toThrow('columns.csv has no "id" column in its header (row 1); found "Control", "Text": name the column with --id-column');
  });

  it('refuses text that is not UTF-8, an unclosed quote, another format, a sheet name and a missing file', async () => {
    await expect(readOfficialTextFile(await file('latin1.csv', Buffer.from('id,text\nCC6.1,caf\xe9\n', 'latin1')))).rejects.toThrow(/latin1\.csv is not UTF-8 text/);
    await expect(readOfficialTextFile(await file('quote.csv', 'id,text\nCC6.1,"never closed\n'))).rejects.toThrow(/quote\.csv cannot be read as CSV: .*Quote Not Closed/);
    await expect(readOfficialTextFile(await file('text.txt', 'id,text\n'))).rejects.toThrow('expected a .csv or .xlsx file');
    await expect(readOfficialTextFile(await file('sheet.csv', 'id,text\n'), { sheet: 'A' })).rejects.toThrow('--sheet applies to XLSX files only');
    await expect(readOfficialTextFile(join(dir, 'absent.csv'))).rejects.toThrow(UsageError);
    await expect(readOfficialTextFile(await file('empty.csv', '\n\n'))).rejects.toThrow('empty.csv is empty');
  });
});

describe('readOfficialTextFile: XLSX', () => {
  async function workbook(name: string): Promise<string> {
    const book = new ExcelJS.Workbook();
    const notes = book.addWorksheet('Notes');
    notes.addRow(['This sheet is not the text']);
    const sheet = book.addWorksheet('Annex A');
    sheet.addRow([]);
    sheet.addRow(['Control', { richText: [{ text: 'Official ' }, { font: { bold: true }, text: 'text' }] }]);
    sheet.addRow(['A.5.15', { richText: [{ text: 'Synthetic ' }, { font: { italic: true }, text: 'rich' }, { text: ' text\nover two lines' }] }]);
    sheet.addRow([{ formula: 'CONCAT("A.5.",16)', result: 'A.5.16' }, { formula: 'UPPER("x")', result: 'Synthetic formula result' }]);
    sheet.addRow(['A.8.32', { text: 'Synthetic linked text', hyperlink: 'https://example.invalid/' }]);
    sheet.addRow([5.17, 42]);
    const path = join(dir, name);
    await book.xlsx.writeFile(path);
    return path;
  }

  it('reads the named sheet, with rich text, formula results and links as plain text', async () => {
    const read = await readOfficialTextFile(await workbook('annex.xlsx'), { sheet: 'Annex A', idColumn: 'control', textColumn: 'official text' });
    expect(read).toMatchObject({ name: 'annex.xlsx', sheet: 'Annex A', idColumn: 'Control', textColumn: 'Official text' });
    expect(read.rows).toEqual([
      { row: 3, id: 'A.5.15', text: 'Synthetic rich text\nover two lines' },
      { row: 4, id: 'A.5.16', text: 'Synthetic formula result' },
      { row: 5, id: 'A.8.32', text: 'Synthetic linked text' },
      { row: 6, id: '5.17', text: '42' },
    ]);
  });

  it('reads the first sheet by default and names the sheets when the one asked for is absent', async () => {
    const path = await workbook('sheets.xlsx');
    await expect(readOfficialTextFile(path)).rejects.toThrow('sheets.xlsx has no "id" column in its header (row 1); found "This sheet is not the text"');
    await expect(readOfficialTextFile(path, { sheet: 'Annex B' })).rejects.toThrow('sheets.xlsx has no sheet named "Annex B"; its sheets: "Notes", "Annex A"');
    await expect(readOfficialTextFile(await file('broken.xlsx', 'not a zip'))).rejects.toThrow(/broken\.xlsx cannot be read as XLSX/);
  });
});
