/**
 * `evidentia evidence add|list|show`: document evidence for the configured
 * evidence requests. `add` stores files as signed locker entries (all or
 * nothing); a correction names the entry it supersedes, and both stay.
 * `show --out` writes a document's bytes to a new file (never over one already
 * there): evidentia never opens, renders or runs a document.
 */
import { lstat } from 'node:fs/promises';
import { userInfo } from 'node:os';
import type { Command } from 'commander';
import { auditTimezone, renderTable, terminalSafe, UsageError } from '@evidentia/audit';
import { writeFileAtomic } from '@evidentia/evidence';
import { LockerError, LockerObjectError, type DocumentEntry, type DocumentInput } from '@evidentia/locker';
import { findConfig, lockerOf, requireConfig } from '../context.js';
import { witnessEntries } from '../witness/index.js';
import type { LoadedConfig } from '../config/load.js';
import { dayOption, FIRST_DAY, todayIn } from './day-option.js';
import { refuseBlankNames } from './who-option.js';
import { readDocuments } from './evidence-files.js';
import type { Wrap } from './wrap.js';

interface Location {
  config?: string;
  locker?: string;
}

interface AddFlags extends Location {
  request: string;
  note?: string;
  effective?: string;
  subject?: string;
  supersedes?: string;
  by?: string;
  json?: boolean;
}

/** The day the documents speak for: today or earlier in the audit zone, since a document added now cannot show what has not happened yet. */
function effectiveDay(text: string | undefined, config: LoadedConfig): string {
  const today = todayIn(config);
  if (text === undefined) return today;
  const day = dayOption('--effective', text);
  if (day > today) throw new UsageError(`--effective ${day} is after today (${today} in ${auditTimezone(config)}): a document cannot speak for a day still to come; add it on or after that day`);
  // Stored and signed, it would fall in no period the locker can hold evidence for, and show nowhere.
  if (day < FIRST_DAY) throw new UsageError(`--effective ${day} is before ${FIRST_DAY}: no evidence is that old (every time the locker records is later), so no request would ever count the document; give the day it speaks for`);
  return day;
}

function supersededSequence(text: string | undefined): number | null {
  if (text === undefined) return null;
  if (!/^[1-9]\d*$/.test(text)) throw new UsageError(`--supersedes expects a document number (see \`evidentia evidence list\`), got "${text}"`);
  return Number(text);
}

/** The request the files answer; a per-event one needs the person, since its documents are matched to events by --subject alone. */
function knownRequest(config: LoadedConfig, id: string, subject: string | undefined): void {
  const requests = config.requests ?? [];
  const request = requests.find((candidate) => candidate.id === id);
  if (!request) {
    const known = requests.map((candidate) => candidate.id);
    throw new UsageError(`unknown request "${id}" in ${config.file}: ${known.length > 0 ? `it has ${known.join(', ')}` : 'it configures no requests (see requests: in the README)'}`);
  }
  if (request.frequency === 'per-event' && subject === undefined) {
    throw new UsageError(`--request ${id} is answered per ${request.event ?? 'event'}: give --subject, the person the document is about (their email, id or name)`);
  }
}

async function add(files: string[], flags: AddFlags): Promise<number> {
  // Signed into the entry for good: white space names no one (and a blank subject answers no one's event).
  refuseBlankNames([['--by', flags.by], ['--subject', flags.subject]]);
  const config = await requireConfig(flags, { credentials: false });
  knownRequest(config, flags.request, flags.subject);
  const common = {
    request: flags.request,
    addedBy: flags.by ?? config.documents?.addedBy ?? userInfo().username,
    effective: effectiveDay(flags.effective, config),
    subject: flags.subject ?? null,
    note: flags.note ?? null,
    supersedes: supersededSequence(flags.supersedes),
  };
  if (common.supersedes !== null && files.length !== 1) throw new UsageError('--supersedes corrects one document: give exactly one file');
  const inputs: DocumentInput[] = (await readDocuments(files, config.documents?.maxFileMegabytes ?? 25)).map((file) => ({ ...common, ...file }));
  const locker = await lockerOf(flags, config, 'write');
  try {
    const added = await locker.addDocuments(inputs);
    await witnessEntries(locker, config);
    process.stdout.write(flags.json ? `${JSON.stringify(added, null, 2)}\n` : renderDocuments(added));
    return 0;
  } catch (error) {
    throw error instanceof LockerError ? new UsageError(error.message) : error;
  } finally {
    await locker.close();
  }
}

/** Why a document's stored file shows nothing: missing from the locker, altered there or unreadable. */
interface FileProblem {
  state: LockerObjectError['state'];
  message: string;
}

const FILE_PROBLEM_TEXT: Record<FileProblem['state'], string> = { missing: 'FILE MISSING from the locker', altered: 'FILE ALTERED in the locker', unreadable: 'FILE UNREADABLE in the locker' };

/** Each entry's file read back and re-hashed, as the request ledger does before counting it: its signed entry alone shows nothing. */
async function fileProblems(entries: DocumentEntry[], read: (hash: string) => Promise<Buffer>): Promise<Map<number, FileProblem>> {
  const problems = new Map<number, FileProblem>();
  for (const entry of entries) {
    try {
      await read(entry.content);
    } catch (error) {
      if (!(error instanceof LockerObjectError)) throw error;
      problems.set(entry.sequence, { state: error.state, message: error.message });
    }
  }
  return problems;
}

function renderDocuments(entries: DocumentEntry[], problems = new Map<number, FileProblem>()): string {
  const problemText = (entry: DocumentEntry) => {
    const problem = problems.get(entry.sequence);
    return problem ? `; ${FILE_PROBLEM_TEXT[problem.state]}: run \`evidentia verify\`` : '';
  };
  const rows = entries.map((entry) => [
    entry.sequence,
    entry.request,
    entry.fileName,
    entry.type,
    entry.size,
    entry.effective,
    entry.subject ?? '',
    entry.addedBy,
    entry.addedAt,
    (entry.supersededBy !== null ? `superseded by ${entry.supersededBy}` : entry.supersedes !== null ? `current (corrects ${entry.supersedes})` : 'current') + problemText(entry),
  ]);
  return renderTable(['#', 'request', 'file', 'type', 'bytes', 'effective', 'subject', 'added by', 'added at', 'status'], rows);
}

/** Reading needs no config: an auditor's copy of the locker is enough. */
async function withDocuments<T>(flags: Location, use: (entries: DocumentEntry[], read: (hash: string) => Promise<Buffer>) => Promise<T>): Promise<T> {
  const config = await findConfig(flags, { credentials: false });
  const locker = await lockerOf(flags, config);
  try {
    return await use(await locker.documents(), (hash) => locker.readObject(hash));
  } finally {
    await locker.close();
  }
}

/** Refused when a file is already at --out: it may be someone's own copy with their notes, which the stored bytes would replace. */
async function refuseExisting(out: string): Promise<void> {
  const found = await lstat(out).then(
    () => true,
    (error: NodeJS.ErrnoException) => (error.code === 'ENOENT' ? false : Promise.reject(error)),
  );
  if (found) throw new UsageError(`--out ${out}: the file already exists; evidence show never replaces a file: choose another name or move it away`);
}

function showText(entry: DocumentEntry): string {
  const lines = Object.entries(entry).map(([field, value]) => `${field}: ${terminalSafe(value ?? '')}`);
  return `${lines.join('\n')}\n`;
}

function location(command: Command): Command {
  return command.option('--config <file>', 'configuration file (default ./evidentia.yaml)').option('--locker <dir>', "locker directory (default: the config's locker)");
}

export function registerEvidence(program: Command, wrap: Wrap): void {
  const evidence = program.command('evidence').description('documents that answer evidence requests (policies, assessments, reviews)');
  location(evidence.command('add').description('store files as signed document evidence for a request (all or nothing)').argument('<files...>', 'the files (PDF, PNG, JPEG, Word, Excel, PowerPoint, CSV, text)'))
    .requiredOption('--request <id>', 'the evidence request the files answer')
    .option('--effective <day>', 'the day the documents speak for, today or earlier (default today, in the configured time zone)')
    .option('--subject <who>', 'whom they are about, for a per-event request (e.g. the new hire\'s email)')
    .option('--note <text>', 'a note kept with each entry')
    .option('--supersedes <n>', 'the document this one corrects (it stays, marked superseded)')
    .option('--by <who>', 'who adds them (default: documents.addedBy in the config, else the OS user)')
    .option('--json', 'print the stored entries as JSON')
    .action(wrap((files: string[], flags: AddFlags) => add(files, flags)));
  location(evidence.command('list').description("every document entry, current and superseded, each file read back (exit 1 when one is missing or altered)"))
    .option('--request <id>', 'only this request')
    .option('--json', 'print JSON')
    .action(
      wrap((flags: Location & { request?: string; json?: boolean }) =>
        withDocuments(flags, async (entries, read) => {
          const shown = entries.filter((entry) => !flags.request || entry.request === flags.request);
          const problems = await fileProblems(shown, read);
          const json = shown.map((entry) => ({ ...entry, fileProblem: problems.get(entry.sequence) ?? null }));
          process.stdout.write(flags.json ? `${JSON.stringify(json, null, 2)}\n` : shown.length > 0 ? renderDocuments(shown, problems) : 'no documents\n');
          if (problems.size === 0) return 0;
          process.stderr.write(`${problems.size} document(s) whose file in the locker is missing or altered: their entries show nothing; run \`evidentia verify\`\n`);
          return 1;
        }),
      ),
    );
  location(evidence.command('show').description("one document entry; --out writes the file's bytes").argument('<n>', 'document number'))
    .option('--out <file>', 'write the document to this new file (as stored, never opened; an existing file is never replaced)')
    .option('--json', 'print JSON')
    .action(
      wrap((n: string, flags: Location & { out?: string; json?: boolean }) =>
        withDocuments(flags, async (entries, read) => {
          const entry = entries.find((candidate) => String(candidate.sequence) === n);
          if (!entry) throw new UsageError(`no document ${n} in the locker (see \`evidentia evidence list\`)`);
          if (flags.out) {
            await refuseExisting(flags.out);
            await writeFileAtomic(flags.out, await read(entry.content));
          }
          process.stdout.write(flags.json ? `${JSON.stringify(entry, null, 2)}\n` : showText(entry));
          return 0;
        }),
      ),
    );
}
