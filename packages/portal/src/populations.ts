/**
 * The populations page and its downloads (GET only: nothing here writes the
 * locker): the population of a criterion (`--control`) or a record kind
 * (`--kind`) in the period as CSV (with its IPE sidecar) or XLSX, byte for
 * byte and cell for cell what `evidentia export population` writes (the same
 * code: audit's exportPopulation), and a seeded sample of it as `evidentia
 * sample` draws it. The period is chosen by the pages' rule: auditors only theirs.
 */
import { randomBytes } from 'node:crypto';
import { open, readFile } from 'node:fs/promises';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { sampleCsv, UsageError } from '@evidentia/audit';
import type { PeriodJudgement, SafeHtml } from '@evidentia/publish';
import type { Judgements } from './judgements.js';
import { type PopulationChoice, populationsPage } from './pages/populations.js';
import type { PeriodChoice } from './periods.js';

type Query = Record<string, string | undefined>;
type Choice = Extract<PeriodChoice, { ok: true }>;
type Chosen = { choice: Choice; offered: string[]; typedPeriods: boolean } | { refused: unknown };
type Refuse = (reply: FastifyReply, request: FastifyRequest, status: number, message: string) => unknown;

export interface PopulationRoutes {
  judgements: Judgements;
  periodOf: (request: FastifyRequest, reply: FastifyReply) => Chosen;
  /** The period's judgement, or the judging page already sent (refused) while it is still being made. */
  judgedFor: (request: FastifyRequest, reply: FastifyReply, choice: Choice, title: string, path: string) => Promise<{ judgement: PeriodJudgement } | { refused: unknown }>;
  refuse: Refuse;
  send: (reply: FastifyReply, status: number, title: string, path: string, body: SafeHtml, request: FastifyRequest) => unknown;
}

export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** A file name safe in a Content-Disposition header whatever a connector named its kind. */
export function fileNameOf(...parts: string[]): string {
  return parts.map((part) => part.replace(/[^A-Za-z0-9._-]+/g, '_')).join('-');
}

export const attach = (reply: FastifyReply, type: string, name: string, body: Buffer | string) =>
  reply.type(type).header('Content-Disposition', `attachment; filename="${name}"`).send(body);

/**
 * A file the locker worker wrote, streamed: a million-row population is never held in memory here. The file
 * is opened before it is sent, so it is read whole even if it stops being kept (and is deleted) meanwhile.
 */
export async function attachFile(reply: FastifyReply, type: string, name: string, path: string) {
  const file = await open(path);
  const { size } = await file.stat();
  return attach(reply.header('Content-Length', size), type, name, file.createReadStream() as unknown as Buffer);
}

/** Criteria in their natural order (CC2.1 before CC10.1). */
const natural = (a: string, b: string) => a.localeCompare(b, 'en', { numeric: true });

/**
 * The sample a `size` and `seed` query asks for, sent as CSV, or refused (400) with one line.
 * As the CLI: without a seed a random one is chosen, and the sample says it so it can be re-drawn.
 */
export async function sendSample(reply: FastifyReply, request: FastifyRequest, refuse: Refuse, name: string, draw: (size: number, seed: string) => Promise<Parameters<typeof sampleCsv>[0]>): Promise<unknown> {
  const query = request.query as Query;
  const size = Number(query.size);
  if (!query.size || !Number.isSafeInteger(size) || size < 1) return refuse(reply, request, 400, `size ${query.size ?? ''}: expected a positive whole number`);
  const seed = query.seed?.trim() || randomBytes(16).toString('hex');
  try {
    return attach(reply, 'text/csv; charset=utf-8', `${name}.csv`, sampleCsv(await draw(size, seed)));
  } catch (error) {
    if (error instanceof UsageError) return refuse(reply, request, 400, error.message);
    throw error;
  }
}

export function registerPopulations(app: FastifyInstance, routes: PopulationRoutes): void {
  const { judgements, periodOf, refuse, send } = routes;

  /** The period, the criteria and kinds with evidence in it, and the population the query names (null when none). */
  const chosenOf = async (request: FastifyRequest, reply: FastifyReply, page = false) => {
    const chosen = periodOf(request, reply);
    if ('refused' in chosen) return chosen;
    // The populations page answers the judging page while the judgement is made; a download waits for it.
    const judged = page ? await routes.judgedFor(request, reply, chosen.choice, 'Populations', '/populations') : { judgement: await judgements.period(chosen.choice.text, chosen.choice.period) };
    if ('refused' in judged) return judged;
    const { judgement } = judged;
    const criteria = [...judgement.records.keys()].sort(natural);
    const kinds = [...new Set([...judgement.records.values()].flatMap((perKind) => [...perKind.keys()]))].sort();
    const query = request.query as Query;
    if (query.control && query.kind) return { refused: refuse(reply, request, 400, 'give a criterion (control) or a kind, not both') };
    let population: PopulationChoice | null = null;
    if (query.control) {
      if (!criteria.includes(query.control)) return { refused: refuse(reply, request, 400, `criterion ${query.control}: no item serves it in the period (criteria: ${criteria.join(', ')})`) };
      population = { by: 'control', value: query.control };
    } else if (query.kind) {
      if (!kinds.includes(query.kind)) return { refused: refuse(reply, request, 400, `kind ${query.kind}: no item of it in the period (kinds: ${kinds.join(', ')})`) };
      population = { by: 'kind', value: query.kind };
    }
    return { ...chosen, criteria, kinds, population };
  };

  /** A download's population, refused (400) when the query names none. */
  const target = async (request: FastifyRequest, reply: FastifyReply) => {
    const chosen = await chosenOf(request, reply);
    if ('refused' in chosen) return chosen;
    if (!chosen.population) return { refused: refuse(reply, request, 400, 'give a criterion (control=CC6.1) or a kind (kind=access.account)') };
    const { population, choice } = chosen;
    return { choice, population, query: { period: choice.period, [population.by]: population.value }, name: fileNameOf('population', population.value, choice.text) };
  };

  app.get('/populations', async (request, reply) => {
    const chosen = await chosenOf(request, reply, true);
    if ('refused' in chosen) return chosen.refused;
    const { population, choice } = chosen;
    let shown = null;
    if (population) {
      const files = await judgements.populationFile({ period: choice.period, [population.by]: population.value }, 'csv');
      const ipe = JSON.parse(await readFile(files.ipe!, 'utf8')) as { lines: string[] };
      shown = { choice: population, kind: files.kind, items: files.items, otherKinds: files.otherKinds, emptyReason: files.emptyReason, ipeLines: ipe.lines };
    }
    return send(reply, 200, 'Populations', '/populations', populationsPage({ criteria: chosen.criteria, kinds: chosen.kinds, shown, offered: chosen.offered, period: choice.text, typedPeriods: chosen.typedPeriods }), request);
  });

  app.get('/populations/population.csv', async (request, reply) => {
    const chosen = await target(request, reply);
    if ('refused' in chosen) return chosen.refused;
    const files = await judgements.populationFile(chosen.query, 'csv');
    return attachFile(reply, 'text/csv; charset=utf-8', `${chosen.name}.csv`, files.file);
  });

  app.get('/populations/population.xlsx', async (request, reply) => {
    const chosen = await target(request, reply);
    if ('refused' in chosen) return chosen.refused;
    const files = await judgements.populationFile(chosen.query, 'xlsx');
    return attachFile(reply, XLSX_TYPE, `${chosen.name}.xlsx`, files.file);
  });

  app.get('/populations/population.ipe.json', async (request, reply) => {
    const chosen = await target(request, reply);
    if ('refused' in chosen) return chosen.refused;
    const files = await judgements.populationFile(chosen.query, 'csv');
    return attachFile(reply, 'application/json; charset=utf-8', `${chosen.name}.ipe.json`, files.ipe!);
  });

  app.get('/populations/sample.csv', async (request, reply) => {
    const chosen = await target(request, reply);
    if ('refused' in chosen) return chosen.refused;
    const { population, choice } = chosen;
    return sendSample(reply, request, refuse, fileNameOf('sample', population.value, choice.text), (size, seed) => judgements.sampleOf(chosen.query, choice.text, size, seed));
  });
}
