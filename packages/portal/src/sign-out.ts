/**
 * Sign-out (POST, CSRF-checked): the portal's session ends and its cookie is
 * cleared; the audit log records it with how the session was opened. A
 * session opened through OIDC goes on to the IdP's RP-initiated logout when
 * the IdP advertises one. That hop is a page that moves on (as the OIDC
 * callback's is), not a redirect: the CSP's form-action 'self' would stop a
 * form's redirect to another site. Without an end_session_endpoint only the
 * portal's session ends, and the sign-in page says the IdP's remains.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { html, type SafeHtml } from '@evidentia/publish';
import type { OidcSignIn } from './oidc.js';
import { sameToken, type SessionStore } from './sessions.js';

/** The sign-in page's query after an OIDC sign-out that could not end the IdP's session. */
export const IDP_SESSION_REMAINS = 'signed-out=idp-session-remains';

export interface SignOutContext {
  sessions: SessionStore;
  oidc?: OidcSignIn;
  /** The IdP's name, as the sign-in button says it. */
  oidcLabel?: string;
  clearSession: (reply: FastifyReply) => void;
  refuse: (reply: FastifyReply, request: FastifyRequest, status: number, message: string) => unknown;
  send: (reply: FastifyReply, status: number, title: string, body: SafeHtml) => unknown;
}

export function registerSignOut(app: FastifyInstance, context: SignOutContext): void {
  app.post('/sign-out', async (request, reply) => {
    const session = request.session!;
    if (!sameToken((request.body as Record<string, unknown> | undefined)?.csrf, session.csrf)) return context.refuse(reply, request, 403, 'The form had no valid CSRF token.');
    context.sessions.destroy(session.id);
    context.clearSession(reply);
    if (session.via !== 'oidc' || !context.oidc) return reply.redirect('/sign-in', 303);
    const logout = context.oidc.endSessionUrl(session.idToken);
    if (!logout) return reply.redirect(`/sign-in?${IDP_SESSION_REMAINS}`, 303);
    return context.send(reply, 200, 'Signed out', html`<meta http-equiv="refresh" content="0;url=${logout}"><p id="signed-out">Signed out of the portal. <a id="idp-logout" href="${logout}">Continue to sign out at ${context.oidcLabel ?? 'the identity provider'}</a>.</p>`);
  });
}

/** The sign-in page's notice for a query, if it carries one. */
export function signOutNotice(query: Record<string, string | undefined>, oidcLabel: string | undefined): string | undefined {
  if (`signed-out=${query['signed-out']}` !== IDP_SESSION_REMAINS) return undefined;
  return `You are signed out of the portal. Your session at ${oidcLabel ?? 'the identity provider'} remains (it offers no sign-out to the portal): sign out there too, or close the browser, on a shared computer.`;
}
