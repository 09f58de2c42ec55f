/**
 * The bundle's readiness files: per framework in scope, the readiness as
 * JSON (format evidentia.readiness/1, as `evidentia readiness --json` prints
 * it) and as CSV for a spreadsheet (one row per missing line, every cell
 * through the formula-injection guard). Listed in the signed index like
 * every other file.
 */
import { type Readiness, readinessCsv } from '@evidentia/audit';
import type { ZipWriter } from './zip-writer.js';

export const READINESS_PATHS = {
  json: (framework: string) => `readiness/${framework}.json`,
  csv: (framework: string) => `readiness/${framework}.csv`,
} as const;

export async function addReadiness(zip: ZipWriter, readiness: readonly Readiness[]): Promise<void> {
  for (const result of readiness) {
    await zip.add(READINESS_PATHS.json(result.framework), `${JSON.stringify(result, null, 2)}\n`);
    await zip.add(READINESS_PATHS.csv(result.framework), readinessCsv(result));
  }
}
