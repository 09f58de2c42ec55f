/**
 * The populations page and its downloads (GET only: nothing here writes the
 * locker): the population of a criterion (`--control`) or a record kind
 * (`--kind`) in the period as CSV (with its IPE sidecar) or XLSX, byte for
 * byte and cell for cell what `evidentia export population` writes (the same
 * code: audit's exportPopulation), and a seeded sample of it as `evidentia
 * sample` draws it. The period is chosen by the pages' rule: auditors only theirs.
 */
import { randomBytes } from 'node:crypto';
import { finished } from 'node:stream';
import { text } from 'node:stream/consumers';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { sampleCsv, seedProblem, UsageError } from '@evidentia/audit';
import type { PeriodJudgement, SafeHtml } from '@evidentia/publish';
import type { Judgements, OpenPopulation } from './judgements.js';
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
 * A population file the locker worker wrote, streamed (a million-row population is never held in memory here)
 * from the handle opened under its lease (Judgements.openPopulation). The lease goes back when the stream
 * closes: read to its end, or destroyed when the response closes first (the client went away).
 */
export function attachPopulation(reply: FastifyReply, type: string, name: string, opened: OpenPopulation) {
  finished(reply.raw, () => opened.stream.destroy());
  return attach(reply.header('Content-Length', opened.size), type, name, opened.stream as unknown as Buffer);
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
  const problem = seedProblem(seed);
  if (problem) return refuse(reply, request, 400, `seed ${problem}`);
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
    // Every kind with items in the period, as the evidence page lists them: a kind whose records serve no criterion is
    // absent from the judgement's counts, yet `export population --kind` exports it.
    const kinds = await judgements.kinds(chosen.choice.period);
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
      const opened = await judgements.openPopulation({ period: choice.period, [population.by]: population.value }, 'csv', 'ipe');
      const ipe = JSON.parse(await text(opened.stream)) as { lines: string[] };
      const { file } = opened;
      shown = { choice: population, kind: file.kind, items: file.items, otherKinds: file.otherKinds, emptyReason: file.emptyReason, ipeLines: ipe.lines };
    }
    return send(reply, 200, 'Populations', '/populations', populationsPage({ criteria: chosen.criteria, kinds: chosen.kinds, shown, offered: chosen.offered, period: choice.text, typedPeriods: chosen.typedPeriods }), request);
  });

  app.get('/populations/population.csv', async (request, reply) => {
    const chosen = await target(request, reply);
    if ('refused' in chosen) return chosen.refused;
    return attachPopulation(reply, 'text/csv; charset=utf-8', `${chosen.name}.csv`, await judgements.openPopulation(chosen.query, 'csv'));
  });

  app.get('/populations/population.xlsx', async (request, reply) => {
    const chosen = await target(request, reply);
    if ('refused' in chosen) return chosen.refused;
    return attachPopulation(reply, XLSX_TYPE, `${chosen.name}.xlsx`, await judgements.openPopulation(chosen.query, 'xlsx'));
  });

  app.get('/populations/population.ipe.json', async (request, reply) => {
    const chosen = await target(request, reply);
    if ('refused' in chosen) return chosen.refused;
    return attachPopulation(reply, 'application/json; charset=utf-8', `${chosen.name}.ipe.json`, await judgements.openPopulation(chosen.query, 'csv', 'ipe'));
  });

  app.get('/populations/sample.csv', async (request, reply) => {
    const chosen = await target(request, reply);
    if ('refused' in chosen) return chosen.refused;
    const { population, choice } = chosen;
    return sendSample(reply, request, refuse, fileNameOf('sample', population.value, choice.text), (size, seed) => judgements.sampleOf(chosen.query, choice.text, size, seed));
  });
}
