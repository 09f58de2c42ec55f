/**
 * `evidentia access-review start|import|status`: user access reviews. `start`
 * builds a review from a system's latest account inventory, stores it signed
 * (with the hash of its population) and writes the workbook (and CSV) for
 * reviewers; `import` records the decisions of a filled-in workbook, signed,
 * after checking every account row against the stored review (all or
 * nothing); `status` shows every review and how far it got.
 */
import { randomBytes } from 'node:crypto';
import { lstat, readFile, rm } from 'node:fs/promises';
import { userInfo } from 'node:os';
import type { Command } from 'commander';
import {
  AccessReviewSettings,
  buildReview,
  decisionsToRecord,
  readDecidedRows,
  renderTable,
  reviewIdOf,
  reviewStates,
  UsageError,
  writeReviewCsv,
  writeReviewXlsx,
  type ReviewState,
} from '@evidentia/audit';
import { sha256Hex } from '@evidentia/evidence';
import { LockerError, type AccessReviewEntry } from '@evidentia/locker';
import { findConfig, lockerOf } from '../context.js';
import { witnessEntries } from '../witness/index.js';
import { refuseBlankNames } from './who-option.js';
import type { Wrap } from './wrap.js';

interface Location {
  config?: string;
  locker?: string;
}

interface StartFlags extends Location {
  system: string;
  reviewer?: string;
  out?: string;
  csv?: string;
  json?: boolean;
}

interface ImportFlags extends Location {
  partial?: boolean;
  by?: string;
  json?: boolean;
}

/** A locker refusal (no key, busy, a guard) is the user's to fix: one line, exit 2. */
function asUsage(error: unknown): unknown {
  return error instanceof LockerError ? new UsageError(error.message) : error;
}

function outputs(flags: StartFlags, reviewId: string): { xlsx: string | null; csv: string | null } {
  if (flags.out !== undefined && !/\.xlsx$/i.test(flags.out)) throw new UsageError(`--out ${flags.out}: the workbook's name must end in .xlsx`);
  if (flags.csv !== undefined && !/\.csv$/i.test(flags.csv)) throw new UsageError(`--csv ${flags.csv}: the file's name must end in .csv`);
  return { xlsx: flags.out ?? (flags.csv === undefined ? `${reviewId}.xlsx` : null), csv: flags.csv ?? null };
}

/**
 * Refused when a file to write is already there: it may be a workbook reviewers have filled in, which a new review
 * would replace (and remove, were the review then refused by the locker).
 */
async function refuseExisting(files: { xlsx: string | null; csv: string | null }, flags: StartFlags): Promise<void> {
  for (const [file, option] of [[files.xlsx, flags.out === undefined ? 'the workbook' : '--out'], [files.csv, '--csv']] as const) {
    if (file === null) continue;
    const found = await lstat(file).then(
      () => true,
      (error: NodeJS.ErrnoException) => (error.code === 'ENOENT' ? false : Promise.reject(error)),
    );
    if (found) throw new UsageError(`${option} ${file}: the file already exists; a review never replaces a file (it may hold a reviewer's decisions): choose another name or move it away`);
  }
}

async function start(flags: StartFlags): Promise<number> {
  // Signed as who started the review and prefilled as its reviewer: white space names no one.
  refuseBlankNames([['--reviewer', flags.reviewer]]);
  // A config adds people's aliases and the inactivity threshold; a locker alone (--locker) is enough.
  const config = await findConfig(flags, { credentials: false });
  const settings = AccessReviewSettings.parse(config?.accessReviews ?? {});
  const now = new Date();
  const reviewId = `AR-${now.toISOString().slice(0, 10).replaceAll('-', '')}-${randomBytes(3).toString('hex')}`;
  const files = outputs(flags, reviewId);
  await refuseExisting(files, flags);
  const locker = await lockerOf(flags, config, 'write');
  try {
    const body = await buildReview(locker, { system: flags.system, reviewer: flags.reviewer ?? null, aliases: config?.people.aliases ?? {}, now, inactiveDays: settings.inactiveDays, directorySystems: settings.directorySystems });
    const sheet = { reviewId, system: flags.system, startedAt: now.toISOString(), body };
    // The files first: a review stored without its workbook would be one nobody can decide.
    if (files.xlsx) await writeReviewXlsx(files.xlsx, sheet);
    if (files.csv) await writeReviewCsv(files.csv, sheet);
    let entry: AccessReviewEntry;
    try {
      entry = await locker.appendAccessReview({ reviewId, kind: 'review', system: flags.system, addedBy: flags.reviewer ?? userInfo().username, body });
    } catch (error) {
      await Promise.all([files.xlsx, files.csv].filter((file): file is string => file !== null).map((file) => rm(file, { force: true })));
      throw asUsage(error);
    }
    await witnessEntries(locker, config);
    const suggested = new Map<string, number>();
    for (const row of body.rows) suggested.set(row.suggestedAction, (suggested.get(row.suggestedAction) ?? 0) + 1);
    if (flags.json) process.stdout.write(`${JSON.stringify({ reviewId, system: flags.system, entry: entry.hash, population: body.population, accounts: body.rows.length, suggested: Object.fromEntries(suggested), files }, null, 2)}\n`);
    else {
      process.stdout.write(`review ${reviewId} of ${flags.system}: ${body.rows.length} account(s), population ${body.population}\n`);
      process.stdout.write(`suggested: ${[...suggested].map(([action, count]) => `${action} ${count}`).join(', ') || 'nothing to review'}\n`);
      for (const file of [files.xlsx, files.csv]) if (file) process.stdout.write(`wrote ${file}\n`);
    }
    return 0;
  } finally {
    await locker.close();
  }
}

async function importDecisions(file: string, flags: ImportFlags): Promise<number> {
  refuseBlankNames([['--by', flags.by]]);
  const config = await findConfig(flags, { credentials: false });
  const rows = await readDecidedRows(file);
  const bytes = await readFile(file);
  const sha256 = sha256Hex(bytes);
  const reviewId = reviewIdOf(file, rows);
  const locker = await lockerOf(flags, config, 'write');
  try {
    const find = (entries: readonly AccessReviewEntry[]): ReviewState => {
      const state = reviewStates(entries).find((candidate) => candidate.reviewId === reviewId);
      if (!state) throw new UsageError(`${file}: review ${reviewId} is not in the locker (see \`evidentia access-review status\`)`);
      return state;
    };
    const state = find(await locker.accessReviews());
    const body = decisionsToRecord(state, { file, sha256, rows, partial: flags.partial ?? false });
    try {
      // The decided file is kept beside its signed entry, so the bundle can carry what the decisions came from.
      await locker.appendAccessReview({ reviewId, kind: 'decisions', system: state.system, addedBy: flags.by ?? userInfo().username, body, files: [bytes] }, (stored) => {
        // Another import may have landed since the decisions were judged: judge again under the writer lock.
        decisionsToRecord(find(stored), { file, sha256, rows, partial: flags.partial ?? false });
      });
    } catch (error) {
      throw asUsage(error);
    }
    await witnessEntries(locker, config);
    const open = state.body.rows.length - state.decisions.size - body.decisions.length;
    const counts = ['keep', 'revoke', 'change'].map((decision) => `${decision} ${body.decisions.filter((entry) => entry.decision === decision).length}`);
    if (flags.json) process.stdout.write(`${JSON.stringify({ reviewId, recorded: body.decisions.length, open, complete: open === 0 }, null, 2)}\n`);
    else process.stdout.write(`review ${reviewId}: recorded ${body.decisions.length} decision(s) (${counts.join(', ')}); ${open === 0 ? 'every account decided: complete' : `${open} account(s) still open`}\n`);
    return 0;
  } finally {
    await locker.close();
  }
}

function statusRows(states: ReviewState[]): (string | number)[][] {
  return states.map((state) => {
    const revokes = [...state.decisions.values()].filter((decision) => decision.decision === 'revoke').length;
    return [state.reviewId, state.system, state.startedAt, state.startedBy, state.body.rows.length, state.decisions.size, revokes, state.complete ? 'complete' : 'open'];
  });
}

async function status(flags: Location & { json?: boolean; system?: string }): Promise<number> {
  const config = await findConfig(flags, { credentials: false });
  const locker = await lockerOf(flags, config);
  try {
    const states = reviewStates(await locker.accessReviews()).filter((state) => !flags.system || state.system === flags.system);
    if (flags.json) {
      const shown = states.map((state) => ({
        reviewId: state.reviewId,
        system: state.system,
        startedAt: state.startedAt,
        startedBy: state.startedBy,
        population: state.body.population,
        accounts: state.body.rows.length,
        decided: state.decisions.size,
        complete: state.complete,
        decisions: [...state.decisions.values()].sort((a, b) => a.row - b.row),
      }));
      process.stdout.write(`${JSON.stringify(shown, null, 2)}\n`);
    } else process.stdout.write(states.length > 0 ? renderTable(['review', 'system', 'started', 'by', 'accounts', 'decided', 'revoke', 'state'], statusRows(states)) : 'no access reviews\n');
    return 0;
  } finally {
    await locker.close();
  }
}

function location(command: Command): Command {
  return command.option('--config <file>', 'configuration file (default ./evidentia.yaml)').option('--locker <dir>', "locker directory (default: the config's locker)");
}

export function registerAccessReview(program: Command, wrap: Wrap): void {
  const review = program.command('access-review').description('user access reviews: a system\'s accounts decided by reviewers, signed in the locker');
  location(review.command('start').description('build a review from the system\'s latest account inventory, store it signed and write the workbook'))
    .requiredOption('--system <system>', 'the system, as records name it (e.g. github:acme-corp)')
    .option('--reviewer <email>', 'who reviews (prefilled in the reviewer column)')
    .option('--out <file.xlsx>', 'the workbook (default <review id>.xlsx unless --csv alone is given)')
    .option('--csv <file.csv>', 'also (or only) write the review as CSV')
    .option('--json', 'print JSON')
    .action(wrap((flags: StartFlags) => start(flags)));
  location(review.command('import').description('record the decisions of a filled-in workbook or CSV, signed (all or nothing)').argument('<file>', 'the .xlsx or .csv written by start, with decisions'))
    .option('--partial', 'record the decisions made so far and leave the review open')
    .option('--by <who>', 'who imports (default: the OS user)')
    .option('--json', 'print JSON')
    .action(wrap((file: string, flags: ImportFlags) => importDecisions(file, flags)));
  location(review.command('status').description('every access review: accounts, decisions, open or complete'))
    .option('--system <system>', 'only this system')
    .option('--json', 'print JSON')
    .action(wrap((flags: Location & { json?: boolean; system?: string }) => status(flags)));
}
