/**
 * exceljs, loaded on first use: it is a large part of what loading this
 * package costs, and only the commands that read or write a workbook need it.
 */
import type ExcelJS from 'exceljs';

export async function loadExcelJS(): Promise<typeof ExcelJS> {
  return (await import('exceljs')).default;
}
