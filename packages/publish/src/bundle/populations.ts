/**
 * The bundle's populations: one CSV per criterion with items in the period,
 * all from a single pass over the period's items (each row goes to the file
 * of every criterion its record serves). Rows wait in temporary files because
 * each file's IPE header, which names the stream runs its rows rest on, comes
 * first. A criterion whose evidence some stream collects (or is configured
 * to) but which has no item in the period gets an empty population whose IPE
 * header says why, rather than no file at all; one with items names in its
 * header the streams of its kinds with no usable evidence of the period, whose
 * items it may lack, and those with open coverage gaps in the period (with a configuration's schedules), whose
 * items of that time it lacks. Returns the items per criterion and kind, which the
 * report shows.
 */
import { createReadStream, createWriteStream, type WriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultControlsForKind } from '@evidentia/catalog';
import { isRecordKind, type KindName, RECORD_KINDS } from '@evidentia/evidence';
import type { Locker } from '@evidentia/locker';
import { buildIpe, closeStream, coverageGaps, csvHeader, csvLine, emptyReason, kindsOf, type Ledger, missingSources, type Period, population, rowOf, type Source, type SourcePlan, sourcesOf, writeText } from '@evidentia/audit';
import { PATHS } from './layout.js';
import type { ZipWriter } from './zip-writer.js';

interface Pending {
  rows: WriteStream;
  file: string;
  count: number;
  perKind: Map<string, number>;
  sources: Set<string>;
}

/**
 * The criteria a population file is expected for: those a configured stream's records serve after the
 * configuration's overrides (which replace a kind's defaults, and are all a connector's own kind has), and the
 * default criteria of a kind some stream the configuration does not name holds records of.
 */
async function expectedCriteria(plans: readonly SourcePlan[] | null, read: (kind: KindName) => Promise<Source[]>): Promise<Set<string>> {
  const expected = new Set<string>();
  for (const plan of plans ?? []) for (const criterion of plan.controls ?? (isRecordKind(plan.kind) ? defaultControlsForKind(plan.kind) : [])) expected.add(criterion);
  for (const kind of RECORD_KINDS) {
    const unplanned = (await read(kind)).some((source) => !(plans ?? []).some((plan) => plan.stream === source.stream));
    if (unplanned) for (const criterion of defaultControlsForKind(kind)) expected.add(criterion);
  }
  return expected;
}

export async function addPopulations(zip: ZipWriter, locker: Locker, period: Period, generatedAt: Date, plans: readonly SourcePlan[] | null = null, ledger: Pick<Ledger, 'streams'> | null = null): Promise<Map<string, Map<string, number>>> {
  const scratch = await mkdtemp(join(tmpdir(), 'evidentia-bundle-'));
  const pending = new Map<string, Pending>();
  const of = (criterion: string): Pending => {
    let entry = pending.get(criterion);
    if (!entry) {
      const file = join(scratch, `${criterion}.rows`);
      entry = { rows: createWriteStream(file), file, count: 0, perKind: new Map(), sources: new Set() };
      pending.set(criterion, entry);
    }
    return entry;
  };
  try {
    const onSources = (item: { controls: string[] }, keys: readonly string[]) => {
      for (const criterion of item.controls) for (const key of keys) of(criterion).sources.add(key);
    };
    for await (const item of population(locker, { period }, onSources)) {
      const line = csvLine(rowOf(item));
      for (const criterion of item.controls) {
        const entry = of(criterion);
        entry.count++;
        entry.perKind.set(item.kind, (entry.perKind.get(item.kind) ?? 0) + 1);
        await writeText(entry.rows, line);
      }
    }
    // Each kind's sources judged once: most kinds serve several criteria.
    const sourcesByKind = new Map<KindName, Promise<Source[]>>();
    const read = (kind: KindName): Promise<Source[]> => {
      if (!sourcesByKind.has(kind)) sourcesByKind.set(kind, sourcesOf(locker, period, kind, plans));
      return sourcesByKind.get(kind)!;
    };
    for (const criterion of await expectedCriteria(plans, read)) of(criterion);
    const evidence = new Map<string, Map<string, number>>();
    for (const [criterion, entry] of [...pending].sort(([a], [b]) => a.localeCompare(b))) {
      await closeStream(entry.rows);
      const reason = entry.count === 0 ? await emptyReason(locker, { period, control: criterion }, plans) : null;
      const kinds = [...kindsOf({ period, control: criterion }, plans), ...entry.perKind.keys()];
      const missing = await missingSources(locker, { period, control: criterion }, kinds, plans, read);
      const gaps = coverageGaps(ledger, { period, control: criterion }, kinds, plans, missing);
      const ipe = await buildIpe(locker, { period, control: criterion, items: entry.count, sources: entry.sources, generatedAt, emptyReason: reason, missingSources: missing, coverageGaps: gaps });
      const writer = zip.open(PATHS.population(criterion));
      await writer.write(csvHeader(ipe));
      for await (const chunk of createReadStream(entry.file)) await writer.write(chunk as Buffer);
      await writer.end();
      if (entry.count > 0) evidence.set(criterion, entry.perKind);
    }
    return evidence;
  } finally {
    for (const entry of pending.values()) entry.rows.destroy();
    await rm(scratch, { recursive: true, force: true });
  }
}
