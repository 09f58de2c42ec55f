/**
 * The XLSX population: a Population sheet (one row per item, every text cell
 * neutralized against formula injection) and an IPE sheet, written with
 * exceljs's streaming writer so a large population never sits in memory.
 */
import ExcelJS from 'exceljs';
import { ipeLines, type Ipe } from './ipe.js';
import { COLUMNS, rowOf, type PopulationItem } from './population.js';
import { spreadsheetSafe } from './spreadsheet-safe.js';

/** Excel keeps at most 32,767 characters in a cell. */
const MAX_CELL = 32_000;
const cell = (text: string) => spreadsheetSafe(text.length > MAX_CELL ? `${text.slice(0, MAX_CELL)}…` : text);

export async function writeXlsx(file: string, ipe: Ipe, items: AsyncIterable<PopulationItem>): Promise<void> {
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: file, useStyles: true, useSharedStrings: false });
  workbook.creator = 'evidentia';
  const sheet = workbook.addWorksheet('Population', { views: [{ state: 'frozen', ySplit: 1 }] });
  const header = sheet.addRow([...COLUMNS]);
  header.font = { bold: true };
  header.commit();
  for await (const item of items) sheet.addRow(rowOf(item).map(cell)).commit();
  sheet.commit();
  const about = workbook.addWorksheet('IPE');
  about.addRow(['How this population was produced (information produced by the entity)']).commit();
  for (const line of ipeLines(ipe)) about.addRow([cell(line)]).commit();
  const json = JSON.stringify(ipe);
  // The machine-readable header, split over as many rows as Excel's cell limit needs.
  for (let offset = 0; offset < json.length; offset += MAX_CELL) about.addRow([cell(`ipe-json: ${json.slice(offset, offset + MAX_CELL)}`)]).commit();
  about.commit();
  await workbook.commit();
}
