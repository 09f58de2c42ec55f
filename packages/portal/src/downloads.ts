/**
 * The evidence page's downloads (GET only: nothing here writes the locker):
 * a kind's population of the period as CSV and its IPE header, byte for byte
 * what `evidentia export population --kind K --period P --format csv` writes
 * (same code: audit's exportPopulation), and a seeded sample of it as
 * `evidentia sample --kind K --period P --seed S --size N --out x.csv` writes
 * it. The period is chosen by the same rule as the pages: auditors only theirs.
 */
import { randomBytes } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { sampleCsv, UsageError } from '@evidentia/audit';
import type { Judgements } from './judgements.js';
import type { PeriodChoice } from './periods.js';

type Chosen = { choice: Extract<PeriodChoice, { ok: true }>; kind: string | undefined } | { refused: unknown };

export interface DownloadRoutes {
  judgements: Judgements;
  kindOf: (request: FastifyRequest, reply: FastifyReply) => Promise<Chosen>;
  refuse: (reply: FastifyReply, request: FastifyRequest, status: number, message: string) => unknown;
}

/** A file name safe in a Content-Disposition header whatever a connector named its kind. */
export function fileNameOf(...parts: string[]): string {
  return parts.map((part) => part.replace(/[^A-Za-z0-9._-]+/g, '_')).join('-');
}

const attach = (reply: FastifyReply, type: string, name: string, body: Buffer | string) =>
  reply.type(type).header('Content-Disposition', `attachment; filename="${name}"`).send(body);

export function registerDownloads(app: FastifyInstance, routes: DownloadRoutes): void {
  const { judgements, kindOf, refuse } = routes;

  /** The period and kind of a download, refused when the period is not the user's or the kind has no item in it. */
  const target = async (request: FastifyRequest, reply: FastifyReply) => {
    const chosen = await kindOf(request, reply);
    if ('refused' in chosen) return chosen;
    if (chosen.kind === undefined) return { refused: refuse(reply, request, 404, `No evidence in the period ${chosen.choice.text}: there is no population to download.`) };
    return { choice: chosen.choice, kind: chosen.kind };
  };

  app.get('/evidence/population.csv', async (request, reply) => {
    const chosen = await target(request, reply);
    if ('refused' in chosen) return chosen.refused;
    const files = await judgements.populationCsv(chosen.choice.period, chosen.kind);
    return attach(reply, 'text/csv; charset=utf-8', `${fileNameOf('population', chosen.kind, chosen.choice.text)}.csv`, files.csv);
  });

  app.get('/evidence/population.ipe.json', async (request, reply) => {
    const chosen = await target(request, reply);
    if ('refused' in chosen) return chosen.refused;
    const files = await judgements.populationCsv(chosen.choice.period, chosen.kind);
    return attach(reply, 'application/json; charset=utf-8', `${fileNameOf('population', chosen.kind, chosen.choice.text)}.ipe.json`, files.ipe);
  });

  app.get('/evidence/sample.csv', async (request, reply) => {
    const chosen = await target(request, reply);
    if ('refused' in chosen) return chosen.refused;
    const query = request.query as Record<string, string | undefined>;
    const size = Number(query.size);
    if (!query.size || !Number.isSafeInteger(size) || size < 1) return refuse(reply, request, 400, `size ${query.size ?? ''}: expected a positive whole number`);
    // As the CLI: without a seed a random one is chosen, and the sample says it so it can be re-drawn.
    const seed = query.seed?.trim() || randomBytes(16).toString('hex');
    try {
      const sample = await judgements.sample(chosen.choice.period, chosen.choice.text, chosen.kind, size, seed);
      return attach(reply, 'text/csv; charset=utf-8', `${fileNameOf('sample', chosen.kind, chosen.choice.text)}.csv`, sampleCsv(sample));
    } catch (error) {
      if (error instanceof UsageError) return refuse(reply, request, 400, error.message);
      throw error;
    }
  });
}
