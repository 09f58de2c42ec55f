/**
 * The portal's web application (fastify): security headers on every answer,
 * sign-in required everywhere but /health, the sign-in page and the style
 * sheet, a CSRF token on every form, sign-in rate limited per address, and
 * the read-only pages. Nothing here writes the locker.
 */
import { readFileSync } from 'node:fs';
import fastifyCookie from '@fastify/cookie';
import fastifyFormbody from '@fastify/formbody';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { html } from '@evidentia/publish';
import { isFrameworkId } from '@evidentia/catalog';
import { type AuditLog, registerAuditLog } from './audit-log.js';
import type { Judgements } from './judgements.js';
import { WorkerGone } from './worker-pool.js';
import type { Period } from '@evidentia/time';
import { page, PAGES } from './layout.js';
import type { OidcSignIn } from './oidc.js';
import { OIDC_START_PATH, registerOidcRoutes } from './oidc-routes.js';
import { OIDC_CALLBACK_PATH } from './oidc-settings.js';
import { DECOY_HASH, verifyPassword } from './passwords.js';
import { registerDownloads } from './downloads.js';
import { registerPopulations } from './populations.js';
import { verifySection } from './pages/verify.js';
import { registerVerifyRoute, type VerifyStarter, VerifyRuns } from './verify-runs.js';
import { registerRecordPages } from './record-routes.js';
import { requestCalendars, streamCalendars } from './coverage-calendar.js';
import { coveragePage } from './pages/coverage.js';
import { EVIDENCE_ROWS, evidencePage } from './pages/evidence.js';
import { EXCEPTION_STATUSES, type ExceptionStatus, exceptionsPage } from './pages/exceptions.js';
import { readinessPage } from './pages/readiness.js';
import { requestsPage } from './pages/requests.js';
import { runsPage } from './pages/runs.js';
import { signInPage } from './pages/sign-in.js';
import type { PeriodAccess } from './periods.js';
import { newToken, sameToken, type Session, SessionStore } from './sessions.js';
import type { PortalSettings } from './settings.js';
import { SignInLimit } from './sign-in-limit.js';
import { OBJECT_FAULT_STATUS, objectFault, objectFaultPage } from './object-fault.js';
import { registerSignOut, signOutNotice } from './sign-out.js';

export const SESSION_COOKIE = 'evidentia_session';
const JUDGING_WAIT_MS = 2_000;
const JUDGING_REFRESH_S = 5;
export const CSRF_COOKIE = 'evidentia_csrf';

/** Scripts, styles, images and form targets from the portal itself only; no frames, no plugins. */
export const CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

const STYLE_SHEET = readFileSync(new URL('../assets/portal.css', import.meta.url));
const PUBLIC = new Set(['/health', '/sign-in', '/assets/portal.css', OIDC_START_PATH, OIDC_CALLBACK_PATH]);

export interface PortalAppOptions {
  settings: PortalSettings;
  periods: PeriodAccess;
  judgements: Judgements;
  /**
   * Secure cookies (sent over HTTPS only): on unless the portal listens on the loopback address; there, on for an answer
   * that goes out over https, as X-Forwarded-Proto from a proxy portal.trustProxy trusts says.
   */
  secureCookies: boolean;
  /** OIDC sign-in, when `portal.oidc` is configured (its issuer already discovered). */
  oidc?: OidcSignIn;
  /**
   * The daemon's health snapshot when the portal runs inside `evidentia
   * daemon --serve`: /health then answers its status (503 when degraded)
   * and, to a signed-in admin or team member, the whole snapshot.
   */
  health?: () => { status: string };
  /** How long a page waits for a period's judgement before it answers "Judging the period" instead (default 2 s). */
  judgingWaitMs?: number;
  /** Where a page that failed is told (one line, no stack). */
  log: (line: string) => void;
  /** Starts `evidentia verify` in a child process (the CLI's serve gives it); without it the runs page cannot verify. */
  verify?: VerifyStarter;
  /** Where sign-ins, page views, downloads and verify starts are recorded (the locker's portal log); none in tests that do not look. */
  auditLog?: AuditLog;
}

declare module 'fastify' {
  interface FastifyRequest {
    session: Session | null;
  }
}

/**
 * portal.trustProxy true: trust the one proxy in front (the socket's peer), so the address is the last
 * X-Forwarded-For entry, the one that proxy added. Fastify's own true trusts every hop, which makes the address
 * the header's leftmost entry, the one the client wrote; and it ignores a hop count (1) altogether.
 */
const ONE_HOP = (_address: string, hop: number) => hop < 1;

type Query = Record<string, string | undefined>;
/** An evidence page number: 1 to 999,999,999 (larger would be past any locker's last page anyway). */
const PAGE = /^[1-9][0-9]{0,8}$/;

export async function buildPortalApp(options: PortalAppOptions): Promise<FastifyInstance> {
  const { settings, periods, judgements } = options;
  const sessions = new SessionStore(settings.sessionHours * 3_600_000);
  const limit = new SignInLimit();
  const verifyRuns = new VerifyRuns(options.verify ?? null);
  // Off loopback always Secure; on loopback (behind a proxy on the same host, as config/deploy runs it) Secure when the answer
  // goes out over https: the socket's own TLS, or X-Forwarded-Proto from a proxy portal.trustProxy trusts (fastify's protocol).
  const cookie = { path: '/', httpOnly: true, sameSite: 'strict' as const, secure: options.secureCookies ? true : ('auto' as const) };
  // X-Forwarded-For decides the client address (and so the sign-in limit's key) only when portal.trustProxy says a proxy sets it.
  const app = Fastify({ logger: false, bodyLimit: 16_384, trustProxy: settings.trustProxy === true ? ONE_HOP : settings.trustProxy });
  await app.register(fastifyCookie);
  await app.register(fastifyFormbody);
  app.decorateRequest('session', null);

  const send = (reply: FastifyReply, status: number, title: string, path: string, session: Session | null, body: ReturnType<typeof html>) =>
    reply.code(status).type('text/html; charset=utf-8').send(page({ title, path, session }, body));
  const refuse = (reply: FastifyReply, request: FastifyRequest, status: number, message: string) => send(reply, status, status === 403 ? 'Not allowed' : 'Cannot show this', request.url, request.session, html`<p class="error">${message}</p>`);

  app.addHook('onRequest', async (request, reply) => {
    reply.header('Content-Security-Policy', CSP).header('X-Content-Type-Options', 'nosniff').header('Referrer-Policy', 'no-referrer').header('X-Frame-Options', 'DENY');
    // Over https (TLS, or a trusted proxy's X-Forwarded-Proto), a year of https only: a later http:// link cannot expose the session cookie's site.
    if (request.protocol === 'https') reply.header('Strict-Transport-Security', 'max-age=31536000');
    request.session = sessions.get(request.cookies[SESSION_COOKIE]);
    const path = request.url.split('?')[0]!;
    if (path !== '/assets/portal.css') reply.header('Cache-Control', 'no-store');
    if (PUBLIC.has(path) || request.session) return;
    if (request.method === 'GET' || request.method === 'HEAD') return reply.redirect('/sign-in', 303);
    return refuse(reply, request, 403, 'Sign in first.');
  });

  if (options.auditLog) {
    registerAuditLog(app, options.auditLog, settings.users, SESSION_COOKIE);
    const auditLog = options.auditLog;
    app.addHook('onClose', () => auditLog.close());
  }

  app.setErrorHandler((error, request, reply) => {
    // The framework's own refusals (a body too large, a content type it cannot read) are the client's: keep their status.
    const status = (error as { statusCode?: number }).statusCode;
    if (error instanceof WorkerGone) {
      options.log(`portal: ${request.method} ${request.url.split('?')[0]} failed: ${error.message}`);
      return refuse(reply, request, 503, 'The locker worker building this page stopped; it has been restarted: reload the page.');
    }
    if (status !== undefined && status >= 400 && status < 500) return refuse(reply, request, status, 'The request was not understood.');
    const fault = objectFault(error);
    if (fault) {
      options.log(`portal: ${request.method} ${request.url.split('?')[0]} needs object ${fault.hash}, which is ${fault.state}: run evidentia verify`);
      return send(reply, OBJECT_FAULT_STATUS, 'The locker fails verification', request.url, request.session, objectFaultPage(fault));
    }
    options.log(`portal: ${request.method} ${request.url.split('?')[0]} failed: ${error instanceof Error ? error.message : String(error)}`);
    return refuse(reply, request, 500, 'This page could not be built; the server log says why.');
  });
  app.setNotFoundHandler((request, reply) => refuse(reply, request, 404, 'There is no such page.'));

  app.get('/health', async (request, reply) => {
    const current = options.health?.() ?? { status: 'ok' };
    // Stream names and run errors are for the team; a probe needs only the status (and the code).
    const full = request.session !== null && request.session.role !== 'auditor';
    return reply.code(current.status === 'ok' ? 200 : 503).send(full ? current : { status: current.status });
  });
  app.get('/assets/portal.css', async (_request, reply) => reply.type('text/css; charset=utf-8').header('Cache-Control', 'max-age=3600').send(STYLE_SHEET));

  const choices = { passwords: settings.users.length > 0, ...(settings.oidc ? { oidc: settings.oidc.label } : {}) };
  const signInForm = (reply: FastifyReply, csrf: string, status: number, problem?: string, notice?: string) => send(reply, status, 'Sign in', '/sign-in', null, signInPage(csrf, problem, choices, notice));

  app.get('/sign-in', async (request, reply) => {
    if (request.session) return reply.redirect('/', 303);
    const csrf = request.cookies[CSRF_COOKIE] ?? newToken();
    reply.setCookie(CSRF_COOKIE, csrf, cookie);
    return signInForm(reply, csrf, 200, undefined, signOutNotice(request.query as Query, settings.oidc?.label));
  });

  app.post('/sign-in', async (request, reply) => {
    const form = (request.body ?? {}) as Query;
    const expected = request.cookies[CSRF_COOKIE];
    if (!expected || !sameToken(form.csrf, expected)) return refuse(reply, request, 403, 'The form had no valid CSRF token: reload the sign-in page and try again.');
    const user = settings.users.find((candidate) => candidate.name === form.name);
    const tried = await limit.attempt(request.ip, form.name ?? '', () => verifyPassword(form.password ?? '', user?.passwordHash ?? DECOY_HASH), (matches) => matches && user !== undefined);
    if ('retryAfter' in tried) {
      reply.header('Retry-After', String(tried.retryAfter));
      return signInForm(reply, expected, 429, `Too many failed sign-ins from this address: try again in ${tried.retryAfter} seconds.`);
    }
    if (!user || !tried.result) return signInForm(reply, expected, 401, 'The name or the password is wrong.');
    // A sign-in replaces the session this browser held: its id opens nothing any more.
    if (request.session) sessions.destroy(request.session.id);
    const session = sessions.create(user.name, user.role);
    // Who signed in, for the audit log (registerAuditLog reads it when the answer is sent).
    request.session = session;
    reply.setCookie(SESSION_COOKIE, session.id, cookie).clearCookie(CSRF_COOKIE, cookie);
    return reply.redirect('/', 303);
  });

  if (options.oidc) {
    registerOidcRoutes(app, {
      oidc: options.oidc,
      sessions,
      limit,
      cookie,
      sessionCookie: SESSION_COOKIE,
      signInProblem: (reply, status, problem) => {
        const csrf = newToken();
        reply.setCookie(CSRF_COOKIE, csrf, cookie);
        return signInForm(reply, csrf, status, problem);
      },
      send: (reply, status, title, body) => send(reply, status, title, OIDC_CALLBACK_PATH, null, body),
      log: options.log,
    });
  }

  registerSignOut(app, {
    sessions,
    ...(options.oidc ? { oidc: options.oidc } : {}),
    ...(settings.oidc ? { oidcLabel: settings.oidc.label } : {}),
    clearSession: (reply) => reply.clearCookie(SESSION_COOKIE, cookie),
    refuse,
    send: (reply, status, title, body) => send(reply, status, title, '/sign-out', null, body),
  });

  app.get('/', async (_request, reply) => reply.redirect(PAGES[0].path, 303));

  /** The period the query names, refused (400 or 403) when this user may not see it. */
  const periodOf = (request: FastifyRequest, reply: FastifyReply) => {
    const role = request.session!.role;
    const allowed = request.session!.periods;
    const choice = periods.choose(role, (request.query as Query).period, allowed);
    if (!choice.ok) return { refused: refuse(reply, request, choice.status, choice.message) };
    return { choice, offered: periods.offered(role, allowed), typedPeriods: role !== 'auditor' };
  };

  const judgingWaitMs = options.judgingWaitMs ?? JUDGING_WAIT_MS;
  /** A small page saying what is still being made (and since when) that reloads itself, rather than a connection held for minutes. */
  const stillMaking = (request: FastifyRequest, reply: FastifyReply, title: string, path: string, what: string, seconds: number) =>
    reply.code(200).type('text/html; charset=utf-8').send(page({ title, path, session: request.session, refreshSeconds: JUDGING_REFRESH_S }, html`<p id="judging">${what} (started ${String(seconds)} s ago): this page reloads itself until it is ready.</p>`));

  /**
   * The period's judgement for a page, or, when it is still being made after a moment (a large locker takes
   * minutes), a small page saying so that reloads itself, rather than a connection held for minutes.
   */
  const judgedFor = async (request: FastifyRequest, reply: FastifyReply, choice: { text: string; period: Period }, title: string, path: string) => {
    const made = await judgements.judgedWithin(choice.text, choice.period, judgingWaitMs);
    if ('judgement' in made) return made;
    return { refused: stillMaking(request, reply, title, path, `Judging the period ${choice.text}`, made.judgingSeconds) };
  };

  app.get('/readiness', async (request, reply) => {
    const chosen = periodOf(request, reply);
    if ('refused' in chosen) return chosen.refused;
    const framework = (request.query as Query).framework || judgements.frameworks[0]!;
    if (!isFrameworkId(framework) || !judgements.frameworks.includes(framework)) return refuse(reply, request, 400, `framework ${framework}: expected one in scope: ${judgements.frameworks.join(', ')}`);
    const judged = await judgedFor(request, reply, chosen.choice, 'Readiness', '/readiness');
    if ('refused' in judged) return judged.refused;
    const readiness = await judgements.readiness(judged.judgement, framework);
    return send(reply, 200, 'Readiness', '/readiness', request.session, readinessPage({ readiness, frameworks: judgements.frameworks, offered: chosen.offered, period: chosen.choice.text, typedPeriods: chosen.typedPeriods }));
  });

  app.get('/exceptions', async (request, reply) => {
    const chosen = periodOf(request, reply);
    if ('refused' in chosen) return chosen.refused;
    const query = request.query as Query;
    const status = (query.status || 'all') as ExceptionStatus;
    if (!EXCEPTION_STATUSES.includes(status)) return refuse(reply, request, 400, `status ${status}: expected one of ${EXCEPTION_STATUSES.join(', ')}`);
    const judged = await judgedFor(request, reply, chosen.choice, 'Exceptions', '/exceptions');
    if ('refused' in judged) return judged.refused;
    const { judgement } = judged;
    return send(reply, 200, 'Exceptions', '/exceptions', request.session, exceptionsPage({ run: judgement.run, filter: { check: query.check ?? '', system: query.system ?? '', criterion: query.criterion ?? '', status }, offered: chosen.offered, period: chosen.choice.text, typedPeriods: chosen.typedPeriods }));
  });

  app.get('/runs', async (request, reply) => {
    const chosen = periodOf(request, reply);
    if ('refused' in chosen) return chosen.refused;
    const runs = await judgements.runs(chosen.choice.period);
    const verify = verifySection(verifyRuns.latest(), request.session!.csrf, verifyRuns.available);
    return send(reply, 200, 'Runs', '/runs', request.session, html`${verify}${runsPage({ runs, offered: chosen.offered, period: chosen.choice.text, typedPeriods: chosen.typedPeriods })}`);
  });

  app.get('/coverage', async (request, reply) => {
    const chosen = periodOf(request, reply);
    if ('refused' in chosen) return chosen.refused;
    const { ledger, requests, collected, timezone } = await judgements.coverage(chosen.choice.period);
    const runs = await judgements.runs(chosen.choice.period);
    const view = { streams: streamCalendars(ledger, collected, timezone), requests: requests && requestCalendars(requests, timezone, ledger.period.since, ledger.period.until), runs, judgedUntil: ledger.evaluatedUntil, openGaps: ledger.openGaps, closedGaps: ledger.closedGaps };
    return send(reply, 200, 'Coverage', '/coverage', request.session, coveragePage({ ...view, offered: chosen.offered, period: chosen.choice.text, typedPeriods: chosen.typedPeriods }));
  });

  app.get('/requests', async (request, reply) => {
    const chosen = periodOf(request, reply);
    if ('refused' in chosen) return chosen.refused;
    // An auditor sees no document or access review of a later period (the team, as `evidence list`, every one).
    const view = await judgements.requests(chosen.choice.period, request.session!.role === 'auditor');
    return send(reply, 200, 'Requests', '/requests', request.session, requestsPage({ view, offered: chosen.offered, period: chosen.choice.text, typedPeriods: chosen.typedPeriods }));
  });

  /**
   * The kinds with items in the chosen period (Locker.periodKinds: a SQL aggregate, no judgement needed) and the one the
   * query names, else the first. For the evidence page (`forPage`), kinds not found within a moment (the worker still busy,
   * judging a period) answer a page saying so that reloads itself; a download or a record page waits for them.
   */
  const kindOf = async (request: FastifyRequest, reply: FastifyReply, forPage = false) => {
    const chosen = periodOf(request, reply);
    if ('refused' in chosen) return { refused: chosen.refused };
    const { text, period } = chosen.choice;
    const found = forPage ? await judgements.kindsWithin(period, judgingWaitMs) : { ready: await judgements.kinds(period) };
    if (!('ready' in found)) return { refused: stillMaking(request, reply, 'Evidence', '/evidence', `Listing the evidence of the period ${text}`, found.makingSeconds) };
    const kinds = found.ready;
    const kind = (request.query as Query).kind || kinds[0];
    if (kind !== undefined && !kinds.includes(kind)) return { refused: refuse(reply, request, 400, `kind ${kind}: no item of it in the period (kinds: ${kinds.join(', ')})`) };
    return { ...chosen, kinds, kind };
  };

  app.get('/evidence', async (request, reply) => {
    const chosen = await kindOf(request, reply, true);
    if ('refused' in chosen) return chosen.refused;
    const { kind, kinds, choice } = chosen;
    if (kind === undefined) return send(reply, 200, 'Evidence', '/evidence', request.session, html`<p id="evidence">No evidence in the period ${choice.text}.</p>`);
    const system = (request.query as Query).system ?? '';
    const pageText = (request.query as Query).page ?? '1';
    if (!PAGE.test(pageText)) return refuse(reply, request, 400, `page ${pageText}: expected a page number (1, 2, …)`);
    const page = Number(pageText);
    const found = await judgements.evidence(choice.period, kind, system, EVIDENCE_ROWS, (page - 1) * EVIDENCE_ROWS);
    return send(reply, 200, 'Evidence', '/evidence', request.session, evidencePage({ kinds, kind, system, found, page, offered: chosen.offered, period: choice.text, typedPeriods: chosen.typedPeriods }));
  });

  registerDownloads(app, { judgements, kindOf, refuse });
  registerVerifyRoute(app, verifyRuns, refuse);
  app.addHook('onClose', () => verifyRuns.stop());
  app.addHook('onClose', () => judgements.close());
  registerPopulations(app, { judgements, periodOf, judgedFor, refuse, send: (reply, status, title, path, body, request) => send(reply, status, title, path, request.session, body) });
  registerRecordPages(app, { judgements, kindOf, refuse, send });

  return app;
}
