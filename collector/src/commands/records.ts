/** `evidentia records`: the evidence records in the locker, filtered by kind, control, stream or time. */
import type { Command } from 'commander';
import { isKindName, RECORD_KINDS } from '@evidentia/evidence';
import type { Locker, StreamRunEntry } from '@evidentia/locker';
import { findConfig, lockerOf } from '../context.js';
import { readMoment, renderTable, type ResolvedRequirement, resolveRequirement, summarize, type Support, terminalSafe, UsageError, viaText } from '@evidentia/audit';
import type { Wrap } from './wrap.js';

interface RecordsFlags {
  config?: string;
  locker?: string;
  kind?: string;
  control?: string;
  stream?: string;
  at?: string;
  limit?: string;
  json?: boolean;
}

function positiveInteger(value: string, option: string): number {
  const number = Number(value);
  // Past 2^53 the number is not exact, and SQLite refused it as a LIMIT ('datatype mismatch', reported as a bug in evidentia).
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(number) || number <= 0) {
    throw new UsageError(`${option} expects a positive whole number up to ${Number.MAX_SAFE_INTEGER}, got "${value}"`);
  }
  return number;
}

/** A SOC 2 criterion or any framework's requirement; exit 2 on an ID no catalog knows. */
function resolveControl(id: string): ResolvedRequirement {
  const resolved = resolveRequirement(id);
  if (!resolved) throw new UsageError(`--control ${id}: no framework has this requirement; use a SOC 2 criterion (CC6.1) or an ISO 27001, NIS2 or C5 ID (A.8.15, NIS2.21.2.b, IDM-02)`);
  return resolved;
}

/**
 * --at as the moment the locker reads "started at or before": a date's moment is the midnight after it, so the
 * day's last millisecond is asked for; a run started at that midnight is the next day's and was listed as this one's.
 */
function atOption(text: string, config: Parameters<typeof readMoment>[2]): Date {
  const moment = readMoment(text, '--at', config);
  return /^\d{4}-\d{2}-\d{2}$/.test(text.trim()) ? new Date(moment.getTime() - 1) : moment;
}

/** A kind name, or a usage error: any other text selects nothing, and "no records match" would read as an empty population. */
function checkKind(kind: string): void {
  if (!isKindName(kind)) throw new UsageError(`--kind ${kind} is not a record kind: the built-in ones are ${RECORD_KINDS.join(', ')}, and a connector's own kind is named <namespace>.<name> (acme.device)`);
}

/** A stream the locker has committed runs of, or a usage error listing the ones it has: a misspelt stream selected nothing. */
async function checkStream(locker: Locker, stream: string): Promise<void> {
  const held = (await locker.streamHeads()).map((head) => head.stream).sort();
  if (!held.includes(stream)) throw new UsageError(`--stream ${stream}: the locker holds no stream of that name; it holds ${held.join(', ') || 'none yet'}`);
}

/**
 * Notes on the state streams whose newest committed run (started by --at) is not complete: their records are
 * those of an older complete run, or, when none completed, none are listed; without a note the listing gave
 * no sign that a stream was missing from it.
 */
async function stateNotes(locker: Locker, stream: string | undefined, at: Date | undefined): Promise<string[]> {
  const last = new Map<string, StreamRunEntry>();
  const complete = new Map<string, StreamRunEntry>();
  for await (const entry of locker.streamRuns({ stream, startedBy: at })) {
    if (entry.type !== 'state') continue;
    last.set(entry.stream, entry);
    if (entry.status === 'complete') complete.set(entry.stream, entry);
  }
  const notes: string[] = [];
  for (const [name, entry] of [...last].sort(([a], [b]) => a.localeCompare(b))) {
    if (entry.status === 'complete') continue;
    const lastRun = `its last run${at ? ` started by ${at.toISOString()}` : ''} (${entry.startedAt}) was ${entry.status}`;
    const older = complete.get(name);
    notes.push(older ? `note: ${name}: ${lastRun}; its records listed are those of its last complete run, started ${older.startedAt}` : `note: ${name}: ${lastRun} and none before it was complete: none of its records are listed`);
  }
  return notes;
}

function mappingNote({ requirement, criteria }: ResolvedRequirement): string {
  if (criteria.length === 0) return `${requirement.id} is not mapped to any SOC 2 criterion, so no evidence reaches it\n`;
  const listed = (support: Support) => criteria.filter((link) => link.support === support).map(viaText).join(', ');
  const covering = listed('covering');
  const partial = listed('partial');
  return `${requirement.id}: ${covering ? `covered through ${covering}` : 'no criterion covers it whole'}${partial ? `; partial support only through ${partial}` : ''}\n`;
}

export function registerRecords(program: Command, wrap: Wrap): void {
  program
    .command('records')
    .description('list evidence records (state streams: the latest complete set, or the set as of --at)')
    .option('--config <file>', 'configuration file')
    .option('--locker <dir>', 'locker directory')
    .option('--kind <kind>', 'record kind, e.g. access.account')
    .option('--control <id>', 'criterion, e.g. CC6.1, or any framework requirement mapped to criteria, e.g. A.8.15, NIS2.21.2.b, IDM-02')
    .option('--stream <id>', 'stream as <instance>/<stream> (the connector instance named in the config), e.g. github/members')
    .option('--at <time>', 'state as observed at this moment in the audit time zone; a date means the end of that day (2026-03-03 includes its collections)')
    .option('--limit <n>', 'at most this many records')
    .option('--json', 'print JSON lines (one record per line)')
    .action(
      wrap(async (flags: RecordsFlags) => {
        const resolved = flags.control === undefined ? undefined : resolveControl(flags.control);
        if (flags.kind !== undefined) checkKind(flags.kind);
        const mapped = resolved !== undefined && resolved.requirement.framework !== 'soc2';
        const config = await findConfig(flags, { credentials: false });
        const at = flags.at === undefined ? undefined : atOption(flags.at, config);
        const locker = await lockerOf(flags, config);
        try {
          if (flags.stream !== undefined) await checkStream(locker, flags.stream);
          const query = { kind: flags.kind, stream: flags.stream, at };
          const limit = flags.limit === undefined ? undefined : positiveInteger(flags.limit, '--limit');
          const controls = resolved ? resolved.criteria.map((link) => link.criterion) : [undefined];
          const seen = new Set<string>();
          const rows: unknown[][] = [];
          // A record serving two of the criteria is listed once; the limit counts records listed, so a criterion's
          // records are read until it is reached (a limit handed to the locker would count the ones already listed).
          for (const control of controls) {
            if (limit !== undefined && seen.size >= limit) break;
            for await (const record of locker.records({ ...query, control, limit: controls.length > 1 ? undefined : limit })) {
              if (limit !== undefined && seen.size >= limit) break;
              if (seen.has(record.hash)) continue;
              seen.add(record.hash);
              const via = mapped ? resolved.criteria.filter((link) => record.controls.includes(link.criterion)).map(viaText) : [];
              if (flags.json) process.stdout.write(`${JSON.stringify(mapped ? { ...record, via } : record)}\n`);
              else rows.push([record.observedAt, record.kind, record.key, summarize(record), record.stream, record.controls.join(' '), ...(mapped ? [via.join(', ')] : []), record.hash.slice(0, 12)]);
            }
          }
          const header = ['observed', 'kind', 'key', 'about', 'stream', 'controls', ...(mapped ? ['via'] : []), 'hash'];
          if (!flags.json) process.stdout.write(rows.length ? renderTable(header, rows) : 'no records match\n');
          if (!flags.json && mapped) process.stdout.write(mappingNote(resolved));
          for (const note of await stateNotes(locker, flags.stream, at)) process.stderr.write(`${terminalSafe(note)}\n`);
          return 0;
        } finally {
          await locker.close();
        }
      }),
    );
}
