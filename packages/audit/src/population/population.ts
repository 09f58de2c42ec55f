/**
 * A population: every item of a criterion (or a record kind) in the period,
 * one row per item. Inventory items (accounts, branch protections) are every
 * item any inventory in effect during the period held, with the version last
 * seen in the period and when it was first and last seen; event items
 * (changes, leavers, incidents) are those that happened in the period. Each
 * row names its record hash and the snapshot hashes the record came from, so
 * any sampled item leads straight back to the raw responses. User access
 * reviews started in the period follow, one row per account reviewed
 * (access-review-rows.ts).
 */
import { isRecordKind, type RecordData } from '@evidentia/evidence';
import type { HashedRecord, Inventory, Locker, PeriodQuery, StoredRecord } from '@evidentia/locker';
import type { InventoryItem } from '../checks/define.js';
import { groupItems } from '../checks/evidence.js';
import { accessReviewItems } from './access-review-rows.js';
import { dataDetails, dataSummary } from './data-columns.js';
import { kindColumns } from './kind-columns.js';
import type { PopulationItem, PopulationQuery, SourceSink } from './item.js';

export type { PopulationItem, PopulationQuery, SourceSink } from './item.js';

/** A stream run rows rest on, as `<runId> <instance>/<stream>`. */
export const sourceKey = (runId: string, stream: string) => `${runId} ${stream}`;

/** What the row says about the item, per kind. */
export function summarize(record: Pick<HashedRecord, 'kind' | 'data'>): string {
  const kind = record.kind;
  const data = record.data;
  if (!isRecordKind(kind)) return dataSummary(data);
  switch (kind) {
    case 'change.request': {
      const change = data as RecordData<'change.request'>;
      // The traceability link both ways (the tickets a PR names, the changes a ticket names) and a ticket's status.
      const links = [
        change.linkedTickets.length > 0 ? `tickets ${change.linkedTickets.join(', ')}` : null,
        change.linkedChanges?.length ? `changes ${change.linkedChanges.join(', ')}` : null,
        change.status ? `status ${change.status}${change.resolution ? ` (${change.resolution})` : ''}` : null,
      ].filter(Boolean);
      return [`${change.title}${change.emergency ? ' [emergency]' : ''}`, ...links].join(' · ');
    }
    case 'access.account': {
      const account = data as RecordData<'access.account'>;
      return [account.accountId, account.email, account.status, account.privileged ? 'privileged' : null, `MFA ${account.mfa}`].filter(Boolean).join(' · ');
    }
    case 'personnel.event': {
      const event = data as RecordData<'personnel.event'>;
      return `${event.type} ${event.person.email ?? event.person.name ?? event.person.id ?? ''} effective ${event.effectiveAt ?? 'unknown'}`;
    }
    case 'incident.record': {
      const incident = data as RecordData<'incident.record'>;
      return `${incident.title} (${incident.severity ?? 'no severity'}, ${incident.status})`;
    }
    case 'audit.event': {
      const event = data as RecordData<'audit.event'>;
      return `${event.action} by ${event.actor?.login ?? 'unknown'}${event.target ? ` on ${event.target}` : ''}`;
    }
    case 'endpoint.device': {
      const device = data as RecordData<'endpoint.device'>;
      return [device.name ?? device.deviceId, device.owner, `${device.os}${device.osVersion ? ` ${device.osVersion}` : ''}`, `encryption ${device.diskEncryption}`, `screen lock ${device.screenLock}`].filter(Boolean).join(' · ');
    }
    case 'vulnerability.finding': {
      const finding = data as RecordData<'vulnerability.finding'>;
      return `${finding.title} (${finding.severity}, ${finding.status}) on ${finding.asset}`;
    }
    case 'training.record': {
      const training = data as RecordData<'training.record'>;
      return `${training.course} by ${training.person.email ?? training.person.name ?? training.person.id ?? 'unknown'}: ${training.status}`;
    }
    case 'background.check': {
      const check = data as RecordData<'background.check'>;
      return `background check of ${check.person.email ?? check.person.name ?? check.person.id ?? 'unknown'} by ${check.provider}: ${check.status}`;
    }
    default: {
      const setting = data as RecordData<'change.config'>;
      const archived = setting.settings.archived === true ? ' (archived)' : setting.settings.disabled === true ? ' (disabled)' : '';
      return `${setting.setting} of ${setting.target}${archived || (setting.present ? '' : ' (absent)')}`;
    }
  }
}

function detailsOf(record: Pick<HashedRecord, 'kind' | 'data'>): Record<string, string> {
  if (!isRecordKind(record.kind)) return dataDetails(record.data, COMMON_COLUMNS);
  return Object.fromEntries(kindColumns(record.kind).map((column) => [column.name, column.value(record.data)]));
}


/** The row of an inventory item: its version last seen in the period, the run of the last inventory holding it. */
export function inventoryRow(item: InventoryItem, runOf: ReadonlyMap<string, string>): PopulationItem {
  const last = item.seen.at(-1)!;
  return {
    kind: item.kind,
    system: item.system,
    stream: item.stream,
    key: item.key,
    summary: summarize(last.record),
    occurredAt: null,
    firstObservedAt: item.seen[0]!.at,
    lastObservedAt: last.at,
    recordHash: last.record.hash,
    snapshotHashes: last.record.sources,
    runId: runOf.get(`${item.stream} ${last.at}`) ?? '',
    controls: last.record.controls,
    details: detailsOf(last.record),
  };
}

/** Which inventory run observed a stream at a time (`<stream> <observedAt>`), for `inventoryRow`. */
export const inventoryRuns = (inventories: readonly Inventory[]) => new Map(inventories.map((inventory) => [`${inventory.stream} ${inventory.observedAt}`, inventory.runId]));

/** The row of an event item: its newest version, which happened in the period. */
export function eventRow(record: StoredRecord): PopulationItem {
  return {
    kind: record.kind,
    system: record.system,
    stream: record.stream,
    key: record.key,
    summary: summarize(record),
    occurredAt: record.occurredAt,
    firstObservedAt: record.observedAt,
    lastObservedAt: record.observedAt,
    recordHash: record.hash,
    snapshotHashes: record.sources,
    runId: record.runId,
    controls: record.controls,
    details: detailsOf(record),
  };
}

/** The locker's query of a population's period, kind and criterion. */
export const periodQueryOf = (query: PopulationQuery): PeriodQuery => ({ since: query.period.since, until: query.period.until, control: query.control, kind: query.kind });

/**
 * The population's rows, inventory items first, then events (each group
 * ordered by kind, system and key), then access-review rows. `onSources` hears, for each row, the
 * stream runs it rests on: every inventory of its stream in effect during the
 * period (state), or the run that collected it (events). A page of it
 * without reading the rest: population-page.ts.
 */
export async function* population(locker: Locker, query: PopulationQuery, onSources: SourceSink = () => {}): AsyncIterable<PopulationItem> {
  const periodQuery = periodQueryOf(query);
  const inventories = await locker.inventories({ since: query.period.since, until: query.period.until });
  const runOf = inventoryRuns(inventories);
  const streamSources = new Map<string, string[]>();
  for (const inventory of inventories) streamSources.set(inventory.stream, [...(streamSources.get(inventory.stream) ?? []), sourceKey(inventory.runId, inventory.stream)]);
  for await (const item of groupItems(inventories, locker.inventoryHistory(periodQuery))) {
    const row = inventoryRow(item, runOf);
    onSources(row, streamSources.get(item.stream) ?? []);
    yield row;
  }
  for await (const record of locker.periodEvents(periodQuery)) {
    const row = eventRow(record);
    onSources(row, [sourceKey(record.runId, record.stream)]);
    yield row;
  }
  yield* accessReviewItems(locker, query, onSources);
}

/** Column names and the row values of an item, shared by every format. */
export const COLUMNS = ['kind', 'system', 'stream', 'key', 'summary', 'occurred_at', 'first_observed_at', 'last_observed_at', 'record_hash', 'snapshot_hashes', 'run_id', 'criteria'] as const;

const COMMON_COLUMNS: ReadonlySet<string> = new Set(COLUMNS);

/** A built-in kind's own column names; a connector's own kind has its data's fields, known from its items (`details`). */
export function detailColumnsOf(kind: string | null, details: readonly string[] = []): string[] {
  return kind !== null && isRecordKind(kind) ? kindColumns(kind).map((column) => column.name) : [...details];
}

/** The common columns followed by the kind's own (a population file holds one kind, so its header is fixed). */
export function columnsOf(kind: string | null, details: readonly string[] = []): string[] {
  return [...COLUMNS, ...detailColumnsOf(kind, details)];
}

/** The row of an item under `columnsOf(item.kind, details)`. */
export function fullRowOf(item: PopulationItem, details: readonly string[] = detailColumnsOf(item.kind)): string[] {
  return [...rowOf(item), ...details.map((name) => item.details[name] ?? '')];
}

/** The common columns of an item (the bundle's per-criterion populations mix kinds and keep to these). */
export function rowOf(item: PopulationItem): string[] {
  return [item.kind, item.system, item.stream, item.key, item.summary, item.occurredAt ?? '', item.firstObservedAt, item.lastObservedAt, item.recordHash, item.snapshotHashes.join(' '), item.runId, item.controls.join(' ')];
}
