/**
 * A portal for tests, listening on 127.0.0.1 at a free port (fastify's inject
 * cannot load the ESM-only cookie package under jest), and a client that signs
 * in through the form as a browser does (every user's password: pw).
 */
import { expect } from '@jest/globals';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { buildPortalApp, type PortalAppOptions } from './app.js';

export interface TestPortal {
  /** The fastify instance (its `server` is the HTTP server). */
  app: FastifyInstance;
  get(path: string, session?: string, init?: RequestInit): Promise<Response>;
  /** POSTs a form with the session's cookie. */
  post(path: string, session: string, form: Record<string, string>): Promise<Response>;
  signIn(name: string): Promise<string>;
  close(): Promise<void>;
}

/** setTimeout's longest delay (about 24 days) as judgingWaitMs: a page answers only once its judgement is made or has failed. */
export const UNTIL_DONE = 2 ** 31 - 1;

/** Set-Cookie lines by cookie name. */
export const cookiesOf = (response: Response) => new Map(response.headers.getSetCookie().map((line) => [line.split('=')[0]!, line]));
export const valueOf = (line: string) => line.split(';')[0]!.split('=')[1]!;

export async function startTestPortal(options: PortalAppOptions): Promise<TestPortal> {
  const app = await buildPortalApp(options);
  await app.listen({ host: '127.0.0.1', port: 0 });
  const base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  const get = (path: string, session?: string, init: RequestInit = {}) => fetch(`${base}${path}`, { redirect: 'manual', headers: session ? { cookie: `evidentia_session=${session}` } : {}, ...init });
  return {
    app,
    get,
    post: (path, session, form) => fetch(`${base}${path}`, { method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: `evidentia_session=${session}` }, body: new URLSearchParams(form).toString() }),
    async signIn(name) {
      const form = await get('/sign-in');
      const csrf = valueOf(cookiesOf(form).get('evidentia_csrf')!);
      const signed = await fetch(`${base}/sign-in`, { method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: `evidentia_csrf=${csrf}` }, body: new URLSearchParams({ csrf, name, password: 'pw' }).toString() });
      expect(signed.status).toBe(303);
      return valueOf(cookiesOf(signed).get('evidentia_session')!);
    },
    close: async () => {
      const closing = app.close();
      // A connection the client opened and never sent a request on (fetch does, after an aborted request) is not idle
      // to the server, which would wait for its request timeout: every answer is done by now.
      app.server.closeAllConnections();
      await closing;
    },
  };
}
