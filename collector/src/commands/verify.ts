/** `evidentia verify`: re-derive every hash, Merkle root, chain link and signature in the locker, or in an audit bundle (`--bundle`). */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { followRotations, parsePublicKey, type Locker, type VerifyProblem, type VerifyReport } from '@evidentia/locker';
import { causesFirst, renderRootCauses, terminalSafe, UsageError } from '@evidentia/audit';
import { bundleReportJson, renderBundleReport, verifyBundle } from '@evidentia/publish';
import { DEFAULT_CONFIG, openLockerFor } from '../context.js';
import { loadWitnesses } from '../config/load.js';
import { createWitnesses } from '../witness/index.js';
import { checkWitnesses, witnessesNotCompared, witnessLines, witnessProblemCount, type WitnessReport } from '../witness/check.js';
import type { Wrap } from './wrap.js';

const problemText = (problem: VerifyProblem) => `${problem.code}: ${terminalSafe(problem.message)}`;

/** The key signatures were checked from: given with --public-key, or the locker's own, which whoever can write the locker can replace. */
export interface TrustedKey {
  keyId: string;
  source: 'given' | 'locker';
  /** The valid rotations followed from it. */
  rotations: number;
}

async function trustedKeyOf(locker: Locker, given: string | undefined): Promise<TrustedKey> {
  const chain = followRotations(parsePublicKey(given ?? (await locker.publicKey())), await locker.keyRotations());
  return { keyId: chain.root.keyId, source: given === undefined ? 'locker' : 'given', rotations: chain.epochs.length - 1 };
}

function trustedKeyLine({ keyId, source, rotations }: TrustedKey): string {
  const from = source === 'given' ? 'given with --public-key' : "the locker's own keys/signing.pub, which whoever can write the locker can replace: compare it with a key kept elsewhere, or pass --public-key";
  return `key ${keyId} (${from}${rotations > 0 ? `; followed through ${rotations} key rotation${rotations === 1 ? '' : 's'}` : ''})`;
}

/**
 * The report for the terminal: root causes first, each with the problems that
 * follow from it under it (see causesFirst); with `witnesses`, their lines
 * come before the one verdict covering both; with `key`, the key the
 * signatures were checked from is named after the counts.
 */
export function renderVerifyReport(report: VerifyReport, witnesses?: WitnessReport, key?: TrustedKey): string {
  const { counts } = report;
  const imports = counts.catalogTextImports > 0 ? `, ${counts.catalogTextImports} official text import(s)` : '';
  const documents = counts.documents > 0 ? `, ${counts.documents} document(s)` : '';
  const acceptances = counts.acceptances > 0 ? `, ${counts.acceptances} exception acceptance entr${counts.acceptances === 1 ? 'y' : 'ies'}` : '';
  const reviews = counts.accessReviews > 0 ? `, ${counts.accessReviews} access-review entr${counts.accessReviews === 1 ? 'y' : 'ies'}` : '';
  const portalLog = counts.portalLog > 0 ? `, ${counts.portalLog} portal-log entr${counts.portalLog === 1 ? 'y' : 'ies'}` : '';
  const lines = [`checked ${counts.manifests} manifests, ${counts.snapshots} snapshots, ${counts.records} records, ${counts.objects} objects${imports}${documents}${acceptances}${reviews}${portalLog}`];
  if (key) lines.push(trustedKeyLine(key));
  const causes = causesFirst(report.problems);
  lines.push(...renderRootCauses(causes, problemText));
  for (const note of report.notes) lines.push(`note: ${terminalSafe(note)}`);
  if (witnesses) lines.push(...witnessLines(witnesses));
  const fromWitnesses = witnesses ? witnessProblemCount(witnesses) : 0;
  const problems = report.problems.length + fromWitnesses;
  const parts = [
    ...(report.problems.length > 0 ? [`${report.problems.length} from ${causes.length} root cause(s) in the locker`] : []),
    ...(fromWitnesses > 0 ? [`${fromWitnesses} from its witnesses`] : []),
  ];
  lines.push(problems === 0 ? 'locker verified: no problems' : `locker FAILED verification: ${problems} problem(s), ${parts.join(', ')}`);
  return `${lines.join('\n')}\n`;
}

export function registerVerify(program: Command, wrap: Wrap): void {
  program
    .command('verify')
    .description('verify the locker: blobs, records, manifests, chain and signatures, and the locker against its witnesses (exit 1 on any problem)')
    .option('--config <file>', 'configuration file')
    .option('--locker <dir>', 'locker directory')
    .option('--json', 'print the report as JSON')
    .option('--bundle <file>', 'verify an audit bundle (zip) instead of a locker; needs nothing but the bundle')
    .option('--public-key <file>', 'check signatures with this public key (PEM), obtained separately, instead of the bundled or locker key')
    .action(
      wrap(async (flags: { config?: string; locker?: string; json?: boolean; bundle?: string; publicKey?: string }) => {
        let publicKey: string | undefined;
        try {
          publicKey = flags.publicKey ? await readFile(flags.publicKey, 'utf8') : undefined;
          if (publicKey !== undefined) parsePublicKey(publicKey);
        } catch (error) {
          throw new UsageError(`--public-key ${flags.publicKey}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
        }
        if (flags.bundle) {
          const report = await verifyBundle(flags.bundle, { publicKey }).catch((error: Error) => {
            // The zip reader's errors name the entry it refused, which a hostile bundle chooses: no control character reaches the terminal.
            throw new UsageError(`--bundle ${flags.bundle}: ${terminalSafe(error.message)}`);
          });
          process.stdout.write(flags.json ? bundleReportJson(report) : renderBundleReport(report));
          return report.ok ? 0 : 1;
        }
        const configFile = flags.config ?? (existsSync(DEFAULT_CONFIG) ? DEFAULT_CONFIG : null);
        const witnessed = configFile ? createWitnesses({ witnesses: await loadWitnesses(configFile), notifications: {} }) : [];
        const locker = await openLockerFor(flags);
        try {
          const report = await locker.verify({ publicKey });
          // Only a witness outside the locker can tell that its newest runs are gone; a locker missing a table cannot give its chains.
          const witnesses = report.problems.some((problem) => problem.code === 'table-missing')
            ? witnessesNotCompared(witnessed, 'a table of the locker is missing, so its chains cannot be read')
            : await checkWitnesses(locker, witnessed, publicKey);
          const ok = report.ok && witnesses.ok;
          const key = await trustedKeyOf(locker, publicKey);
          process.stdout.write(flags.json ? `${JSON.stringify({ ...report, ok, key, causes: causesFirst(report.problems), witnesses }, null, 2)}\n` : renderVerifyReport(report, witnesses, key));
          return ok ? 0 : 1;
        } finally {
          await locker.close();
        }
      }),
    );
}
