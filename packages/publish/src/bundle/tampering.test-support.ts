/** For bundle tests: a tampered copy of a bundle verified, and the lines and problems they assert on. */
import { join } from 'node:path';
import { rewriteZip } from './rewrite-zip.js';
import { verifyBundle, type BundleReport } from './verify.js';

/** `bundle` rewritten by `edit` into `<dir>/<name>.zip` (the index left as it was), then verified. */
export async function verifyTampered(bundle: string, dir: string, name: string, edit: (entries: Map<string, Buffer>) => void): Promise<BundleReport> {
  const file = join(dir, `${name}.zip`);
  await rewriteZip(bundle, file, edit);
  return verifyBundle(file);
}

export const lines = (bytes: Buffer) => bytes.toString('utf8').trimEnd().split('\n');
export const messages = (report: BundleReport) => report.problems.map((problem) => `${problem.code}: ${problem.message}`);
