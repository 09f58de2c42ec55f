/** Framework tables for the terminal (check and coverage output). */
import { renderTable } from '../table.js';
import { viaText } from './resolve.js';
import type { FrameworkTable } from './status.js';

export function renderFrameworkTables(tables: readonly FrameworkTable[]): string {
  return tables
    .map((table) => {
      const rows = table.rows.map((row) => [
        row.requirement,
        row.label,
        row.status === 'partial' ? 'PARTIAL' : row.status === 'not-covered' ? 'NOT COVERED' : row.status,
        row.mappings.map((link) => `${viaText(link)}${link.covered ? '' : ' (not covered)'}`).join(', '),
      ]);
      const body = rows.length ? renderTable(['requirement', 'label', 'status', 'via'], rows) : 'no mapped requirement\n';
      const note = table.unmapped > 0 ? `${table.unmapped} requirement(s) have no SOC 2 mapping; judge them separately\n` : '';
      return `\n${table.name}\n${body}${note}`;
    })
    .join('');
}
