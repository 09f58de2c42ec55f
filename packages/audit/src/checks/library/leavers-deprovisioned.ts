/**
 * Every person who left during the period (a personnel.event leaver, from a
 * directory suspension or an HR ticket) had no active account left in any
 * connected system once the SLA after the effective date had passed. The
 * evidence is the account inventories observed after the effective date
 * (looking past the period's end by the SLA plus `lookaheadDays`). Several
 * leaver events for one person (HR ticket and directory suspension) are
 * judged together from the earliest effective date, unless a joiner event of
 * theirs falls between two of them: a departure after a rehire is judged on
 * its own. Identifiers seen together
 * on one account (email, SSO identity, login) count as one person, so an HR
 * email reaches a login through the account that carries both; only the
 * accounts such a chain ties to the personnel records are linked, so memory
 * follows the leavers, not the population (reachable-people.ts). One finding per leaver
 * and account system: judged from the inventories where the person had an
 * account; a pass saying so where the system's inventories of the period hold
 * none of theirs, naming beside it the system's personal accounts that carry
 * nothing to match a person by (untraceable.ts; accounts-have-owner lists
 * every account that matches nobody); not assessed, with the reason,
 * where the system has no inventory of the period. Never a pass on nothing.
 * A directory suspension its system reverses within `graceHours` (a
 * reinstatement event, e.g. UNSUSPEND_USER) is no leaver: it is listed as
 * not assessable with both times, and judged nowhere (suspensions.ts).
 * Where the system itself recorded the leaver event (a directory's own
 * suspension), that event dates the removal there when the inventories
 * alone cannot tell on which side of the deadline it fell.
 * A rehire (a joiner event of the same person after the leaving date, or,
 * for a departure only the directory recorded, its reinstatement after the
 * grace: an account unsuspended or undeleted once the departure had lasted)
 * is judged on the inventories before it: the
 * accounts of the return are not a leaver's access left behind.
 */
import { z } from 'zod';
import type { RecordData } from '@evidentia/evidence';
import type { StoredRecord } from '@evidentia/locker';
import { defineCheck, type Finding, type InventoryItem } from '../define.js';
import { collectEvents } from '../evidence.js';
import { accountIdentifiers, type PeopleDirectory } from '../people.js';
import { DAY_MS, HOUR_MS, timeOf } from '../period.js';
import { reachablePeople } from '../reachable-people.js';
import type { Source } from '../sources.js';
import { reinstatements, reversalReason, splitReversed, type Reinstatement } from '../suspensions.js';
import { Untraceable } from '../untraceable.js';
import { judgeRemoval, type AccountTimeline, type Removal } from './removal.js';

type Personnel = RecordData<'personnel.event'>;
type Account = RecordData<'access.account'>;

const Settings = z
  .object({
    slaHours: z.number().positive().default(24).describe('hours after the effective date by which every account must be disabled or removed'),
    lookaheadDays: z.number().min(0).default(7).describe('days past the SLA to look for inventories after the period ends'),
    graceHours: z.number().min(0).default(24).describe('a directory suspension its system reverses within this many hours is not a leaver'),
    reinstatementActions: z.array(z.string().min(1)).default(['UNSUSPEND_USER', 'UNDELETE_USER']).describe('audit event actions that reinstate an account: within graceHours they undo the suspension or deletion, after it they are a return'),
  })
  .strict();

/** Each account system with null when an inventory of the period is there, else why not (a system is usable when any of its streams is). */
function accountSystems(sources: Source[]): Map<string, string | null> {
  const systems = new Map<string, string | null>();
  for (const source of sources) {
    for (const system of source.systems) {
      const known = systems.get(system);
      if (source.usable || known === null) systems.set(system, null);
      else systems.set(system, [known, source.reason].filter(Boolean).join('; '));
    }
  }
  return systems;
}

interface Leaver {
  person: string;
  label: string;
  effectiveAt: number;
  records: string[];
  /** Per system, the earliest of the leaver's events that system recorded itself, with no ticket (a directory suspension or deletion): it dates the removal there. */
  removals: Map<string, Removal>;
  /** The systems whose events record the departure. A reinstatement is a return only when its system alone recorded it: where HR (or another system) did, only a joiner event is, never an account reactivated (e.g. to recover a leaver's mail). */
  recordedIn: string[];
  /** A joiner event or reinstatement of the same person after the leaving date (a return): inventories from then on show the new employment. */
  rejoined?: { at: number; hash: string };
  /** The latest of its leaver events: a joiner event after it starts the person's next employment. */
  latest: number;
}

/** Tie each leaver to the earliest joiner event or reinstatement (one after the grace: those within it undid the leaver event) of the same person after their leaving date, if any. */
function withRejoins(leavers: Leaver[], events: StoredRecord[], people: PeopleDirectory, reinstated: readonly Reinstatement[]): Leaver[] {
  return leavers.map((leaver) => {
    let rejoined: Leaver['rejoined'];
    for (const reinstatement of reinstated) {
      if (leaver.recordedIn.some((system) => system !== reinstatement.system)) continue;
      if (reinstatement.at <= leaver.effectiveAt || people.personOf([reinstatement.target]) !== leaver.person) continue;
      if (!rejoined || reinstatement.at < rejoined.at) rejoined = { at: reinstatement.at, hash: reinstatement.hash };
    }
    for (const record of events) {
      const data = record.data as Personnel;
      const at = timeOf(data.effectiveAt) ?? timeOf(record.occurredAt);
      if (data.type !== 'joiner' || at === null || at <= leaver.effectiveAt) continue;
      if (people.personOf([data.person.email, data.person.id]) !== leaver.person) continue;
      if (!rejoined || at < rejoined.at) rejoined = { at, hash: record.hash };
    }
    return rejoined ? { ...leaver, rejoined } : leaver;
  });
}

/** The timeline without the inventories taken once the person was back: their accounts then are the new employment's. */
function beforeRejoin(timeline: AccountTimeline, rejoinedAt: number | undefined): AccountTimeline {
  if (rejoinedAt === undefined) return timeline;
  return { ...timeline, inventoryTimes: timeline.inventoryTimes.filter((at) => (timeOf(at) ?? 0) < rejoinedAt) };
}

/**
 * One system's verdict from its streams' (each judged at its own inventories): an exception when any stream
 * shows the access past the deadline, else not assessable when any cannot tell, else a pass. With several
 * streams the reason names the stream it comes from.
 */
function worstRemoval(verdicts: Array<{ stream: string } & Pick<Finding, 'status' | 'reason'>>): Pick<Finding, 'status' | 'reason'> {
  const named = (verdict: { stream: string; reason: string }) => (verdicts.length > 1 ? `${verdict.stream}: ${verdict.reason}` : verdict.reason);
  const worst = verdicts.find((verdict) => verdict.status === 'exception') ?? verdicts.find((verdict) => verdict.status !== 'pass');
  if (worst) return { status: worst.status, reason: named(worst) };
  return { status: 'pass', reason: verdicts.map(named).join('; ') };
}

/** Each person's joiner times, for telling one departure from the next. */
function joinerTimes(events: StoredRecord[], people: PeopleDirectory): Map<string, number[]> {
  const times = new Map<string, number[]>();
  for (const record of events) {
    const data = record.data as Personnel;
    const at = timeOf(data.effectiveAt) ?? timeOf(record.occurredAt);
    const person = data.type === 'joiner' && at !== null ? people.personOf([data.person.email, data.person.id]) : null;
    if (person !== null) times.set(person, [...(times.get(person) ?? []), at!]);
  }
  return times;
}

/**
 * The departures of the period: one person's leaver events (HR ticket and directory suspension) are one departure,
 * dated by the earliest, unless a joiner event of theirs falls between two of them: then the later one is a departure
 * of its own (left, rehired, left again), judged on its own. Merged, it was judged on nothing, as the rehire ended the
 * inventories judged.
 */
function leaversOf(events: StoredRecord[], people: PeopleDirectory, joiners: StoredRecord[]): Leaver[] {
  const byPerson = new Map<string, Leaver[]>();
  const dated = events
    .map((record) => ({ record, data: record.data as Personnel, effective: timeOf((record.data as Personnel).effectiveAt) ?? timeOf(record.occurredAt) }))
    .filter((event): event is typeof event & { effective: number } => event.data.type === 'leaver' && event.effective !== null)
    .sort((a, b) => a.effective - b.effective)
    .map((event) => ({ ...event, person: people.register([event.data.person.email, event.data.person.id]) ?? `(unnamed leaver ${event.record.key})` }));
  // Once every leaver is a known person: a joiner is matched to them only then.
  const joined = joinerTimes(joiners, people);
  for (const { record, data, effective, person } of dated) {
    const label = person.startsWith('(') ? (data.person.name ?? record.key) : person;
    const departures = byPerson.get(person) ?? [];
    const last = departures.at(-1);
    const rehiredSince = last !== undefined && (joined.get(person) ?? []).some((at) => at > last.latest && at <= effective);
    const known = last && !rehiredSince ? last : { person, label: last ? `${label} (left again ${new Date(effective).toISOString().slice(0, 10)})` : label, effectiveAt: effective, latest: effective, records: [], removals: new Map<string, Removal>(), recordedIn: [] };
    // A system's own lifecycle event (no ticket: the act, not a request for it) dates the removal in that system.
    const removal = known.removals.get(record.system);
    if (data.ticket === null && (!removal || effective < removal.at)) known.removals.set(record.system, { at: effective, what: data.source });
    const updated = { ...known, effectiveAt: Math.min(known.effectiveAt, effective), latest: Math.max(known.latest, effective), records: [...known.records, record.hash], recordedIn: [...new Set([...known.recordedIn, record.system])] };
    byPerson.set(person, known === last ? [...departures.slice(0, -1), updated] : [...departures, updated]);
  }
  return [...byPerson.values()].flat();
}

export default defineCheck({
  id: 'leavers-deprovisioned',
  title: "Leavers' accounts disabled in every system within the SLA",
  description:
    'For every person who left during the period (HR ticket or directory suspension), every account in every connected system must be disabled or removed by the end of the SLA after the effective date, as the account inventories taken after that date show. People are matched to accounts by email, SSO identity, login and the configured aliases. Where the inventories are too far apart to show on which side of the deadline the removal happened, the finding is not assessable. A directory suspension reversed within the grace (a reinstatement event in the same system) is no leaver: it is listed, not judged; a leaver HR records always stands.',
  criteria: ['CC6.2', 'CC6.3'],
  reads: ['personnel.event', 'access.account', 'audit.event'],
  perSystem: 'access.account',
  supplementary: ['audit.event'],
  settings: Settings,
  async *evaluate({ evidence, settings, people: configured }) {
    const until = new Date(evidence.period.until.getTime() + settings.slaHours * HOUR_MS + settings.lookaheadDays * DAY_MS);
    const window = { since: evidence.period.since, until };
    const undone = await reinstatements(evidence, settings.reinstatementActions, settings.graceHours, until);
    // A rehire's joiner event may come after the period (inventories are read that far), so joiners are read up to `until`.
    const personnel = await collectEvents(evidence, 'personnel.event', window);
    const periodEvents = await collectEvents(evidence, 'personnel.event');
    // An account's email, SSO identity and login are one person, which ties HR emails to logins: only the accounts that reach the people asked about are linked (reachable-people.ts).
    const seeds = [...[...periodEvents, ...personnel].flatMap((record) => [(record.data as Personnel).person.email, (record.data as Personnel).person.id]), ...undone.map((reinstatement) => reinstatement.target)];
    const people = await reachablePeople(evidence, configured, seeds, window);
    // Reinstatements are matched to suspensions by person, so after the accounts have tied identifiers together.
    const { standing: events, reversed } = splitReversed(periodEvents, undone, people, settings.graceHours);
    const leavers = withRejoins(leaversOf(events, people, personnel), personnel, people, undone);
    const systems = accountSystems(await evidence.sources('access.account'));
    for (const reversal of reversed) {
      const person = (reversal.leaver.data as Personnel).person;
      yield { item: person.email ?? person.name ?? reversal.leaver.key, system: reversal.leaver.system, status: 'not-assessable', reason: reversalReason(reversal, settings.graceHours), records: [reversal.leaver.hash, reversal.reinstatement.hash] };
    }
    if (leavers.length === 0) {
      for (const system of systems.keys()) yield { item: '(no leaver)', system, status: 'not-assessed', reason: 'nobody left during the period, as far as the personnel records show: nothing to judge', records: [] };
      return;
    }
    // With no leaver the accounts need no further pass.
    // Per person, system and stream: an account is only known at its own stream's inventories (a directory's
    // users and its admin-role holders are two streams of one system, taken at different times).
    const timelines = new Map<string, Map<string, Map<string, AccountTimeline>>>();
    const streamTimes = new Map<string, readonly string[]>();
    const wanted = new Set(leavers.map((leaver) => leaver.person));
    const untraceable = new Untraceable();
    for await (const item of evidence.items('access.account', { since: evidence.period.since, until })) {
      streamTimes.set(item.system, item.inventoryTimes);
      untraceable.note(item, people);
      const person = people.personOf(accountIdentifiers(item.seen.at(-1)!.record.data as Account));
      if (person === null || !wanted.has(person)) continue;
      const bySystem = timelines.get(person) ?? new Map<string, Map<string, AccountTimeline>>();
      const byStream = bySystem.get(item.system) ?? new Map<string, AccountTimeline>();
      const timeline = byStream.get(item.stream) ?? { inventoryTimes: item.inventoryTimes, accounts: [] };
      timeline.accounts.push(item as InventoryItem);
      byStream.set(item.stream, timeline);
      bySystem.set(item.system, byStream);
      timelines.set(person, bySystem);
    }
    for (const leaver of leavers) {
      const left = `left on ${new Date(leaver.effectiveAt).toISOString()}`;
      const matched = timelines.get(leaver.person) ?? new Map<string, Map<string, AccountTimeline>>();
      const rejoined = leaver.rejoined ? `; rejoined on ${new Date(leaver.rejoined.at).toISOString()}, so the inventories from then on are not judged` : '';
      for (const [system, byStream] of matched) {
        const verdict = worstRemoval(
          [...byStream].map(([stream, timeline]) => ({ stream, ...judgeRemoval(beforeRejoin(timeline, leaver.rejoined?.at), leaver.effectiveAt, settings.slaHours, leaver.removals.get(system)) })),
        );
        const accountRecords = [...byStream.values()].flatMap((timeline) => timeline.accounts.flatMap((account) => account.seen.map(({ record }) => record.hash)));
        yield { item: leaver.label, system, ...verdict, reason: `${verdict.reason}${rejoined}`, records: [...leaver.records, ...(leaver.rejoined ? [leaver.rejoined.hash] : []), ...new Set(accountRecords)] };
      }
      for (const [system, unusable] of systems) {
        if (matched.has(system)) continue;
        if (unusable === null) yield { item: leaver.label, system, status: 'pass', reason: `${left}; no account of theirs in the inventories of ${system}${streamTimes.has(system) ? ` from ${streamTimes.get(system)![0]} to ${streamTimes.get(system)!.at(-1)}` : ''}${untraceable.describe(system)}`, records: leaver.records };
        else yield { item: leaver.label, system, status: 'not-assessed', reason: `${left}; ${unusable}`, records: leaver.records };
      }
      if (systems.size === 0 && matched.size === 0) yield { item: leaver.label, system: null, status: 'not-assessed', reason: `${left}; no account inventory of any system to look in`, records: leaver.records };
    }
  },
});
