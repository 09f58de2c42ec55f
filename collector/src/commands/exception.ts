/**
 * `evidentia exception accept|list|revoke`: accepted exceptions. Accepting
 * records, signed in the locker, that a named approver accepts the risk of
 * one item a check raised until a last day; the exception stays an
 * exception in every output (marked accepted) and never becomes a pass.
 * Revoking is a new signed entry: nothing is replaced. Everything is checked
 * before anything is stored (exit 2 with one line).
 */
import { userInfo } from 'node:os';
import type { Command } from 'commander';
import { AcceptanceJudge, auditTimezone, configuredChecks, type JudgedAcceptance, PeopleDirectory, readPeriod, renderTable, runChecks, sourcePlans, terminalSafe, UsageError } from '@evidentia/audit';
import { LockerError, type ExceptionAcceptance, type Locker } from '@evidentia/locker';
import { findConfig, lockerOf } from '../context.js';
import { witnessEntries } from '../witness/index.js';
import type { LoadedConfig } from '../config/load.js';
import { dayOption, todayIn, yearAfter } from './day-option.js';
import { refuseBlankNames } from './who-option.js';
import type { Wrap } from './wrap.js';

interface Location {
  config?: string;
  locker?: string;
}

interface Recording extends Location {
  reason?: string;
  approver?: string;
  by?: string;
  json?: boolean;
}

interface AcceptFlags extends Recording {
  until?: string;
  period?: string;
  force?: boolean;
}

function required(option: string, value: string | undefined, why: string): string {
  if (value === undefined || value.trim() === '') throw new UsageError(`${option} is required: ${why}`);
  return value.trim();
}

/** --approver, else exceptions.approver in the config; an acceptance without an approver is refused. */
function approverOf(flags: Recording, config: LoadedConfig | null): string {
  const approver = flags.approver ?? config?.exceptions?.approver;
  return required('--approver', approver, 'name who approved it (or set exceptions.approver in the config)');
}

const recorderOf = (flags: Recording) => flags.by ?? userInfo().username;

/** The exceptions the check raised over the period (--period, else the year up to today): the items that may be accepted. */
async function raisedItems(locker: Locker, config: LoadedConfig | null, check: string, periodText: string): Promise<{ items: Set<string>; ran: boolean }> {
  const period = readPeriod(periodText, config);
  const checks = (await configuredChecks(config)).filter(({ definition }) => definition.id === check);
  const run = await runChecks({ locker, period, checks, people: new PeopleDirectory(config?.people.aliases ?? {}), sources: sourcePlans(config), keep: Number.MAX_SAFE_INTEGER });
  const outcome = run.checks[0]!;
  return { items: new Set(outcome.findings.filter((finding) => finding.status === 'exception').map((finding) => finding.item)), ran: outcome.error === null };
}

function defaultPeriod(config: LoadedConfig | null): string {
  const today = todayIn(config);
  const yearAgo = new Date(Date.parse(`${today}T00:00:00Z`) - 365 * 86_400_000).toISOString().slice(0, 10);
  return `${yearAgo}..${today}`;
}

async function accept(check: string, item: string, flags: AcceptFlags): Promise<number> {
  // Signed as who recorded it: white space names no one.
  refuseBlankNames([['--by', flags.by]]);
  const config = await findConfig(flags, { credentials: false });
  const known = (await configuredChecks(config)).map(({ definition }) => definition.id);
  if (!known.includes(check)) throw new UsageError(`unknown check "${check}": checks are ${known.join(', ')}`);
  const reason = required('--reason', flags.reason, 'say why the risk is accepted');
  const approver = approverOf(flags, config);
  const until = dayOption('--until', required('--until', flags.until, 'give the last day the acceptance holds (it lapses after it)'));
  const today = todayIn(config);
  if (until < today) throw new UsageError(`--until ${until} is in the past (today is ${today} in ${auditTimezone(config)}): an acceptance must hold from now on`);
  // A risk accepted until 9999 is accepted for good: an acceptance lapses and is approved again, at least yearly.
  const latest = yearAfter(today);
  if (until > latest) throw new UsageError(`--until ${until} is more than a year after today (${today} in ${auditTimezone(config)}): an accepted risk is approved again at least yearly; give a day up to ${latest}`);
  const locker = await lockerOf(flags, config, 'write');
  try {
    const periodText = flags.period ?? defaultPeriod(config);
    const { items, ran } = await raisedItems(locker, config, check, periodText);
    if (!items.has(item)) {
      const why = ran ? `${check} raised no exception for item "${item}" over ${periodText}` : `${check} could not run over ${periodText}, so item "${item}" could not be confirmed`;
      if (!flags.force) throw new UsageError(`${why}${items.size > 0 ? ` (it raised ${[...items].slice(0, 5).map((raised) => `"${raised}"`).join(', ')}${items.size > 5 ? ', …' : ''})` : ''}: check the item key, give --period, or add --force to accept it anyway`);
      process.stderr.write(`evidentia: warning: ${terminalSafe(why)}; accepted anyway (--force): it will show as unused until the check raises it\n`);
    }
    const accepted = await locker.acceptException({ check, item, reason, approver, until, recordedBy: recorderOf(flags) });
    await witnessEntries(locker, config);
    process.stdout.write(flags.json ? `${JSON.stringify(accepted, null, 2)}\n` : `accepted exception #${accepted.id}: ${terminalSafe(check)} ${terminalSafe(item)} until ${until}, approved by ${terminalSafe(approver)}\n`);
    return 0;
  } catch (error) {
    throw error instanceof LockerError ? new UsageError(error.message) : error;
  } finally {
    await locker.close();
  }
}

async function revoke(id: string, flags: Recording): Promise<number> {
  refuseBlankNames([['--by', flags.by]]);
  if (!/^[1-9]\d*$/.test(id)) throw new UsageError(`exception revoke expects an acceptance number (see \`evidentia exception list --all\`), got "${id}"`);
  const config = await findConfig(flags, { credentials: false });
  const reason = required('--reason', flags.reason, 'say why the acceptance ends');
  const approver = approverOf(flags, config);
  const locker = await lockerOf(flags, config, 'write');
  try {
    const revoked = await locker.revokeAcceptance({ revokes: Number(id), reason, approver, recordedBy: recorderOf(flags) });
    await witnessEntries(locker, config);
    process.stdout.write(flags.json ? `${JSON.stringify(revoked, null, 2)}\n` : `revoked acceptance #${revoked.id} (${terminalSafe(revoked.check)} ${terminalSafe(revoked.item)}) by entry #${revoked.revoked!.id}\n`);
    return 0;
  } catch (error) {
    throw error instanceof LockerError ? new UsageError(error.message) : error;
  } finally {
    await locker.close();
  }
}

function renderAcceptances(acceptances: JudgedAcceptance[]): string {
  const rows = acceptances.map((acceptance) => [
    acceptance.id,
    acceptance.check,
    acceptance.item,
    acceptance.until,
    acceptance.approver,
    acceptance.reason,
    acceptance.status === 'revoked' ? `revoked by #${acceptance.revoked!.id}: ${acceptance.revoked!.reason}` : acceptance.status,
  ]);
  return renderTable(['#', 'check', 'item', 'until', 'approver', 'reason', 'status'], rows);
}

/** Reading needs no config: an auditor's copy of the locker is enough (the zone is then UTC). */
async function list(flags: Location & { all?: boolean; period?: string; json?: boolean }): Promise<number> {
  const config = await findConfig(flags, { credentials: false });
  const at = flags.period ? readPeriod(flags.period, config) : { until: new Date() };
  const locker = await lockerOf(flags, config);
  let acceptances: ExceptionAcceptance[];
  try {
    acceptances = await locker.acceptances();
  } finally {
    await locker.close();
  }
  const judged = AcceptanceJudge.of(acceptances, at, auditTimezone(config)).acceptances.filter((acceptance) => flags.all || acceptance.status === 'in effect');
  if (flags.json) process.stdout.write(`${JSON.stringify(judged, null, 2)}\n`);
  else if (judged.length > 0) process.stdout.write(renderAcceptances(judged));
  else process.stdout.write(flags.all ? 'no acceptances\n' : 'no acceptances in effect (--all lists lapsed and revoked ones too)\n');
  return 0;
}

function location(command: Command): Command {
  return command.option('--config <file>', 'configuration file (default ./evidentia.yaml)').option('--locker <dir>', "locker directory (default: the config's locker)");
}

function recording(command: Command): Command {
  return location(command)
    .option('--reason <text>', 'why (required)')
    .option('--approver <email>', 'who approved it (default: exceptions.approver in the config; required without it)')
    .option('--by <who>', 'who records it (default: the OS user)')
    .option('--json', 'print the stored acceptance as JSON');
}

export function registerException(program: Command, wrap: Wrap): void {
  const exception = program.command('exception').description('accepted exceptions: still exceptions, marked accepted until their last day');
  recording(exception.command('accept').description('accept the risk of one exception a check raised, until a last day (signed, append-only)').argument('<check>', 'the check id').argument('<item>', 'the item key, as the check names it'))
    .option('--until <day>', 'the last day it holds, in the audit time zone (required; it lapses after it)')
    .option('--period <A..B>', 'the period to look for the exception in (default: the year up to today)')
    .option('--force', 'accept an item the check did not raise in the period (warns)')
    .action(wrap((check: string, item: string, flags: AcceptFlags) => accept(check, item, flags)));
  location(exception.command('list').description('acceptances in effect now (or at the end of --period)'))
    .option('--all', 'also lapsed and revoked acceptances')
    .option('--period <A..B>', 'judge them at the end of this period')
    .option('--json', 'print JSON')
    .action(wrap((flags: Location & { all?: boolean; period?: string; json?: boolean }) => list(flags)));
  recording(exception.command('revoke').description('end an acceptance by a new signed entry (the acceptance stays, marked revoked)').argument('<id>', 'the acceptance number')).action(
    wrap((id: string, flags: Recording) => revoke(id, flags)),
  );
}
