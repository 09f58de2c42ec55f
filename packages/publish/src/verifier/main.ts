/**
 * The entry of the standalone bundle verifier (`node verify.mjs bundle.zip`):
 * the very verifyBundle and report rendering behind `evidentia verify
 * --bundle`, built by build-verifier.ts into one dependency-free file that
 * every exported bundle carries, so an auditor with Node.js and nothing else
 * gets the same verdict. Exit 0 verified, 1 a problem found, 2 usage or an
 * unreadable bundle or key.
 */
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { terminalSafe } from '@evidentia/audit';
import { publicKeyId } from '@evidentia/locker';
import { bundleReportJson, renderBundleReport } from '../bundle/render.js';
import { verifyBundle } from '../bundle/verify.js';

const USAGE = 'usage: node verify.mjs BUNDLE.zip [--public-key KEY.pem] [--json]';

async function main(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, allowPositionals: true, options: { 'public-key': { type: 'string' }, json: { type: 'boolean' }, help: { type: 'boolean' } } });
  } catch (error) {
    return usage((error as Error).message);
  }
  const { values, positionals } = parsed;
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  if (positionals.length !== 1) return usage(positionals.length === 0 ? 'name the bundle to verify' : `one bundle at a time, got ${positionals.length}`);
  const keyFile = values['public-key'];
  let publicKey: string | undefined;
  try {
    publicKey = keyFile ? await readFile(keyFile, 'utf8') : undefined;
    if (publicKey !== undefined) publicKeyId(publicKey);
  } catch (error) {
    return failed(`--public-key ${keyFile}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  const bundle = positionals[0]!;
  let report;
  try {
    report = await verifyBundle(bundle, { publicKey });
  } catch (error) {
    return failed(`${bundle}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  process.stdout.write(values.json ? bundleReportJson(report) : renderBundleReport(report));
  return report.ok ? 0 : 1;
}

function usage(message: string): number {
  process.stderr.write(`verify.mjs: ${message}\n${USAGE}\n`);
  return 2;
}

/** The message names what the bundle holds (a zip entry's name in the zip reader's error), which a hostile bundle chooses: no control character reaches the terminal. */
function failed(message: string): number {
  process.stderr.write(`verify.mjs: ${terminalSafe(message)}\n`);
  return 2;
}

process.exitCode = await main(process.argv.slice(2));
