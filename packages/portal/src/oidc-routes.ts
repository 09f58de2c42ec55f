/**
 * The OIDC sign-in routes: `/sign-in/oidc` starts a flow (a cookie of its
 * own binds it to this browser) and sends the browser to the IdP; the
 * callback finishes it and, for a user the rules map to a role, opens a
 * session. Failed callbacks count against the sign-in limit like wrong
 * passwords. The session cookie is SameSite=Strict, so it would not ride on
 * a redirect that began at the IdP: the callback answers a page that moves
 * on to the portal itself.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { terminalSafe } from '@evidentia/audit';
import { html, type SafeHtml } from '@evidentia/publish';
import type { OidcSignIn } from './oidc.js';
import { OIDC_CALLBACK_PATH } from './oidc-settings.js';
import type { SessionStore } from './sessions.js';
import type { SignInLimit } from './sign-in-limit.js';

export const OIDC_START_PATH = '/sign-in/oidc';
export const OIDC_FLOW_COOKIE = 'evidentia_oidc';

interface CookieOptions {
  path: string;
  httpOnly: boolean;
  sameSite: 'strict';
  secure: boolean | 'auto';
}

export interface OidcRouteContext {
  oidc: OidcSignIn;
  sessions: SessionStore;
  limit: SignInLimit;
  cookie: CookieOptions;
  sessionCookie: string;
  /** Answers the sign-in page with a problem on it. */
  signInProblem: (reply: FastifyReply, status: number, problem: string) => unknown;
  send: (reply: FastifyReply, status: number, title: string, body: SafeHtml) => unknown;
  log: (line: string) => void;
}

export function registerOidcRoutes(app: FastifyInstance, context: OidcRouteContext): void {
  const { oidc, sessions, limit, cookie } = context;
  // Lax, not Strict: the flow cookie must come back on the IdP's redirect, a navigation from another site.
  const flowCookie = { ...cookie, sameSite: 'lax' as const, path: OIDC_START_PATH, maxAge: 600 };

  app.get(OIDC_START_PATH, async (request, reply) => {
    if (request.session) return reply.redirect('/', 303);
    const { flow, url } = await oidc.begin();
    reply.setCookie(OIDC_FLOW_COOKIE, flow, flowCookie);
    return reply.redirect(url, 303);
  });

  app.get(OIDC_CALLBACK_PATH, async (request: FastifyRequest, reply) => {
    const query = request.url.includes('?') ? request.url.slice(request.url.indexOf('?')) : '';
    // No name is typed: a single sign-on forgets only the refused single sign-ons from this address, never a wrong password.
    const tried = await limit.attempt(request.ip, null, () => oidc.finish(request.cookies[OIDC_FLOW_COOKIE], query), (match) => match.ok);
    if ('retryAfter' in tried) {
      reply.header('Retry-After', String(tried.retryAfter));
      return context.signInProblem(reply, 429, `Too many failed sign-ins from this address: try again in ${tried.retryAfter} seconds.`);
    }
    const match = tried.result;
    reply.clearCookie(OIDC_FLOW_COOKIE, flowCookie);
    if (!match.ok) {
      // The reason may quote the IdP's claims (a subject, an email): their control characters are shown, never sent to the log's terminal.
      context.log(`portal: OIDC sign-in refused: ${terminalSafe(match.reason)}`);
      return context.signInProblem(reply, 403, `Single sign-on refused: ${match.reason}`);
    }
    const { name, role, periods } = match.identity;
    // A sign-in replaces the session this browser held: its id opens nothing any more.
    if (request.session) sessions.destroy(request.session.id);
    const session = sessions.create(name, role, { via: 'oidc', ...(periods ? { periods } : {}), ...(match.idToken ? { idToken: match.idToken } : {}) });
    // Who signed in, for the audit log (registerAuditLog reads it when the answer is sent).
    request.session = session;
    reply.setCookie(context.sessionCookie, session.id, cookie);
    return context.send(reply, 200, 'Signed in', html`<meta http-equiv="refresh" content="0;url=/"><p id="signed-in">Signed in as ${name} (${role}). <a href="/">Continue to the portal</a>.</p>`);
  });
}
