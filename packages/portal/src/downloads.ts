/**
 * The evidence page's downloads (GET only: nothing here writes the locker):
 * a kind's population of the period as CSV and its IPE header, byte for byte
 * what `evidentia export population --kind K --period P --format csv` writes
 * (same code: audit's exportPopulation), and a seeded sample of it as
 * `evidentia sample --kind K --period P --seed S --size N --out x.csv` writes
 * it. The period is chosen by the same rule as the pages: auditors only theirs.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Judgements } from './judgements.js';
import type { PeriodChoice } from './periods.js';
import { attachPopulation, fileNameOf, sendSample } from './populations.js';

type Chosen = { choice: Extract<PeriodChoice, { ok: true }>; kind: string | undefined } | { refused: unknown };

export interface DownloadRoutes {
  judgements: Judgements;
  kindOf: (request: FastifyRequest, reply: FastifyReply) => Promise<Chosen>;
  refuse: (reply: FastifyReply, request: FastifyRequest, status: number, message: string) => unknown;
}

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
    const opened = await judgements.openPopulation({ period: chosen.choice.period, kind: chosen.kind }, 'csv');
    return attachPopulation(reply, 'text/csv; charset=utf-8', `${fileNameOf('population', chosen.kind, chosen.choice.text)}.csv`, opened);
  });

  app.get('/evidence/population.ipe.json', async (request, reply) => {
    const chosen = await target(request, reply);
    if ('refused' in chosen) return chosen.refused;
    const opened = await judgements.openPopulation({ period: chosen.choice.period, kind: chosen.kind }, 'csv', 'ipe');
    return attachPopulation(reply, 'application/json; charset=utf-8', `${fileNameOf('population', chosen.kind, chosen.choice.text)}.ipe.json`, opened);
  });

  app.get('/evidence/sample.csv', async (request, reply) => {
    const chosen = await target(request, reply);
    if ('refused' in chosen) return chosen.refused;
    return sendSample(reply, request, refuse, fileNameOf('sample', chosen.kind, chosen.choice.text), (size, seed) => judgements.sample(chosen.choice.period, chosen.choice.text, chosen.kind, size, seed));
  });
}
