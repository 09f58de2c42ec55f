/**
 * The record page and the raw responses it links to (GET only). A record is
 * found in its kind's population of the chosen period, so an auditor reaches
 * only records of their periods; a raw response only as a source of such a
 * record. A check's finding names its records by hash only: record-of finds
 * the kind among those the check reads and redirects. Raw bytes go out as text/plain with nosniff: the browser shows
 * them, never runs them.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { SafeHtml } from '@evidentia/publish';
import type { DownloadRoutes } from './downloads.js';
import { recordHref, recordPage } from './pages/record.js';
import type { Session } from './sessions.js';

type Query = Record<string, string | undefined>;
const HASH = /^[0-9a-f]{64}$/;

export interface RecordRoutes extends DownloadRoutes {
  send: (reply: FastifyReply, status: number, title: string, path: string, session: Session | null, body: SafeHtml) => unknown;
}

export function registerRecordPages(app: FastifyInstance, routes: RecordRoutes): void {
  const { judgements, kindOf, refuse, send } = routes;

  /** The period, kind and record hash the query names, refused when the record is not one of the period's. */
  const target = async (request: FastifyRequest, reply: FastifyReply) => {
    const chosen = await kindOf(request, reply);
    if ('refused' in chosen) return chosen;
    const hash = (request.query as Query).hash ?? '';
    if (!HASH.test(hash)) return { refused: refuse(reply, request, 400, `hash ${hash}: expected a record hash (64 hex digits)`) };
    const item = chosen.kind === undefined ? null : await judgements.recordItem(chosen.choice.period, chosen.kind, hash);
    if (!item) return { refused: refuse(reply, request, 404, `No ${chosen.kind ?? ''} record ${hash} in the period ${chosen.choice.text}.`) };
    return { period: chosen.choice.text, item };
  };

  app.get('/evidence/record', async (request, reply) => {
    const found = await target(request, reply);
    if ('refused' in found) return found.refused;
    const path = await judgements.recordPath(found.item);
    return send(reply, 200, 'Record', '/evidence', request.session, recordPage({ path, period: found.period }));
  });

  app.get('/evidence/raw', async (request, reply) => {
    const found = await target(request, reply);
    if ('refused' in found) return found.refused;
    const body = (request.query as Query).body ?? '';
    if (!found.item.snapshotHashes.includes(body)) return refuse(reply, request, 404, `The record has no source ${body}.`);
    return reply.type('text/plain; charset=utf-8').header('Content-Disposition', `inline; filename="${body}.txt"`).send(await judgements.rawResponse(body));
  });

  app.get('/evidence/record-of', async (request, reply) => {
    // The period as every page chooses it (the kind is found below).
    const chosen = await kindOf(request, reply);
    if ('refused' in chosen) return chosen.refused;
    const { check = '', hash = '' } = request.query as Query;
    if (!HASH.test(hash)) return refuse(reply, request, 400, `hash ${hash}: expected a record hash (64 hex digits)`);
    const { choice } = chosen;
    const outcome = (await judgements.period(choice.text, choice.period)).run.checks.find((candidate) => candidate.id === check);
    if (!outcome) return refuse(reply, request, 404, `check ${check}: not among the checks in scope`);
    for (const kind of outcome.reads) if (await judgements.recordItem(choice.period, kind, hash)) return reply.redirect(recordHref(kind, choice.text, hash), 303);
    return refuse(reply, request, 404, `No record ${hash} of the kinds ${check} reads (${outcome.reads.join(', ')}) in the period ${choice.text}.`);
  });
}
