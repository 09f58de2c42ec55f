/**
 * A small OpenID Connect provider for tests, on 127.0.0.1: discovery, JWKS,
 * authorize (a page the user submits) and token endpoints. It signs ID tokens (RS256) with a key made
 * when it starts, checks the client's secret, the redirect URI and the PKCE
 * verifier (S256) as a real IdP does, and signs in whoever the test names
 * next, with an optional fault to prove the portal refuses what it must:
 * a token signed by another key, an expired one, a wrong nonce, audience or
 * issuer, one issued in the future, an unsigned one, or one signed HS256 with
 * the public key; and a JWKS endpoint that can be made to fail.
 * With `endSession` it also advertises an end_session_endpoint (RP-initiated
 * logout), records each logout's query and sends the browser on to its
 * post_logout_redirect_uri.
 */
import { createHash, createHmac, generateKeyPairSync, type KeyObject, randomBytes, sign } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * How the next ID token is spoiled: signed by another key, expired, with a wrong nonce, audience or issuer,
 * issued in the future, unsigned (`alg: none`), or signed HS256 with the provider's public key as the HMAC
 * secret (the key-confusion attack).
 */
export type TokenFault = 'none' | 'forged' | 'expired' | 'nonce' | 'audience' | 'issuer' | 'future' | 'unsigned' | 'hmac-public-key';

export interface TestUser {
  sub: string;
  email?: string;
  /** The email_verified claim as sent (true when absent); some IdPs send a string. */
  emailVerified?: boolean | string;
  groups?: string[];
}

interface Grant {
  user: TestUser;
  fault: TokenFault;
  nonce: string;
  challenge: string;
  redirectUri: string;
}

export interface TestProvider {
  issuer: string;
  /** Who the next authorization signs in, and how the token for it is spoiled. */
  next(user: TestUser, fault?: TokenFault): void;
  /** Requests the provider answered, as "METHOD path", and what it refused at the token endpoint. */
  log: string[];
  /** The query of each logout the browser was sent to (with endSession). */
  logouts: URLSearchParams[];
  /** Every ID token the token endpoint issued (a logout's id_token_hint should be one). */
  issued: string[];
  /** Makes the JWKS endpoint answer 503 (true) or its keys again (false). */
  jwksDown(down: boolean): void;
  close(): Promise<void>;
}

const b64url = (data: Buffer | string) => Buffer.from(data).toString('base64url');

function signJwt(payload: Record<string, unknown>, key: KeyObject, kid: string, alg: 'RS256' | 'none' | 'HS256' = 'RS256'): string {
  const input = `${b64url(JSON.stringify({ alg, typ: 'JWT', kid }))}.${b64url(JSON.stringify(payload))}`;
  if (alg === 'none') return `${input}.`;
  // HS256 keyed with the public key as published (its PEM): what a verifier that trusts the header's alg would check it with.
  if (alg === 'HS256') return `${input}.${b64url(createHmac('sha256', key.export({ format: 'pem', type: 'spki' })).update(input).digest())}`;
  return `${input}.${b64url(sign('sha256', Buffer.from(input), key))}`;
}

async function bodyOf(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * `issuerHost` names the provider in its issuer URL: 'localhost' (it still
 * listens on 127.0.0.1) makes it another site than a portal on 127.0.0.1,
 * as a real IdP is, so SameSite cookies behave as they will in production.
 */
export async function startTestProvider(client: { id: string; secret: string }, issuerHost = '127.0.0.1', options: { endSession?: boolean } = {}): Promise<TestProvider> {
  const kid = 'test-key-1';
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  // The forger uses the same kid, so only the signature can tell its tokens apart.
  const forger = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
  const grants = new Map<string, Grant>();
  const approvals = new Map<string, string>();
  const log: string[] = [];
  const logouts: URLSearchParams[] = [];
  const issued: string[] = [];
  let upcoming: { user: TestUser; fault: TokenFault } | null = null;
  let jwksDown = false;
  let issuer = '';

  const server: Server = createServer((request, response) => {
    void (async () => {
      const url = new URL(request.url ?? '/', issuer);
      log.push(`${request.method} ${url.pathname}`);
      const json = (status: number, value: unknown) => response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(value));
      if (url.pathname === '/.well-known/openid-configuration') {
        return json(200, {
          issuer,
          authorization_endpoint: `${issuer}/authorize`,
          token_endpoint: `${issuer}/token`,
          jwks_uri: `${issuer}/jwks`,
          response_types_supported: ['code'],
          subject_types_supported: ['public'],
          id_token_signing_alg_values_supported: ['RS256'],
          code_challenge_methods_supported: ['S256'],
          token_endpoint_auth_methods_supported: ['client_secret_basic'],
          ...(options.endSession ? { end_session_endpoint: `${issuer}/logout` } : {}),
        });
      }
      if (url.pathname === '/logout' && options.endSession) {
        logouts.push(url.searchParams);
        const back = url.searchParams.get('post_logout_redirect_uri');
        if (back) return response.writeHead(302, { location: back }).end();
        return response.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><p id="idp-signed-out">Signed out at the IdP.</p>');
      }
      if (url.pathname === '/jwks' && jwksDown) return json(503, { error: 'unavailable' });
      if (url.pathname === '/jwks') return json(200, { keys: [{ ...publicKey.export({ format: 'jwk' }), kid, alg: 'RS256', use: 'sig' }] });
      if (url.pathname === '/authorize') {
        const query = url.searchParams;
        const problems = [
          query.get('client_id') !== client.id && 'client_id',
          query.get('response_type') !== 'code' && 'response_type',
          query.get('code_challenge_method') !== 'S256' && 'code_challenge_method',
          !query.get('code_challenge') && 'code_challenge',
          !query.get('state') && 'state',
          !query.get('nonce') && 'nonce',
          !upcoming && 'no user named by the test',
        ].filter(Boolean);
        if (problems.length > 0) return response.writeHead(400, { 'content-type': 'text/plain' }).end(`bad authorize request: ${problems.join(', ')}`);
        // A sign-in page the user submits, as at a real IdP: the redirect back then starts on the IdP's site.
        const code = randomBytes(16).toString('hex');
        grants.set(code, { ...upcoming!, nonce: query.get('nonce')!, challenge: query.get('code_challenge')!, redirectUri: query.get('redirect_uri')! });
        upcoming = null;
        const back = new URL(query.get('redirect_uri')!);
        back.searchParams.set('code', code);
        back.searchParams.set('state', query.get('state')!);
        back.searchParams.set('iss', issuer);
        approvals.set(code, back.href);
        return response.writeHead(200, { 'content-type': 'text/html' }).end(`<!doctype html><form method="post" action="/approve"><input type="hidden" name="ticket" value="${code}"><button id="approve">Continue</button></form>`);
      }
      if (url.pathname === '/approve' && request.method === 'POST') {
        const back = approvals.get(new URLSearchParams(await bodyOf(request)).get('ticket') ?? '');
        if (!back) return response.writeHead(400).end();
        return response.writeHead(302, { location: back }).end();
      }
      if (url.pathname === '/token' && request.method === 'POST') {
        const form = new URLSearchParams(await bodyOf(request));
        const basic = Buffer.from((request.headers.authorization ?? '').replace(/^Basic /, ''), 'base64').toString('utf8');
        const [id, secret] = basic.split(':').map((part) => decodeURIComponent(part));
        const grant = grants.get(form.get('code') ?? '');
        grants.delete(form.get('code') ?? '');
        const verifier = form.get('code_verifier') ?? '';
        const refusal = id !== client.id || secret !== client.secret ? 'invalid_client' : !grant || grant.redirectUri !== form.get('redirect_uri') ? 'invalid_grant' : b64url(createHash('sha256').update(verifier).digest()) !== grant.challenge ? 'invalid_grant (PKCE)' : null;
        if (refusal) {
          log.push(`token refused: ${refusal}`);
          return json(400, { error: refusal.split(' ')[0] });
        }
        const now = Math.floor(Date.now() / 1000);
        const { user, fault } = grant!;
        const claims = {
          iss: fault === 'issuer' ? 'https://idp.elsewhere.example' : issuer,
          sub: user.sub,
          aud: fault === 'audience' ? 'someone-else' : client.id,
          iat: fault === 'expired' ? now - 7200 : fault === 'future' ? now + 3600 : now,
          exp: fault === 'expired' ? now - 3600 : fault === 'future' ? now + 7200 : now + 300,
          nonce: fault === 'nonce' ? 'not-the-nonce' : grant!.nonce,
          ...(user.email ? { email: user.email, email_verified: user.emailVerified ?? true } : {}),
          ...(user.groups ? { groups: user.groups } : {}),
        };
        const idToken = fault === 'unsigned' ? signJwt(claims, privateKey, kid, 'none') : fault === 'hmac-public-key' ? signJwt(claims, publicKey, kid, 'HS256') : signJwt(claims, fault === 'forged' ? forger : privateKey, kid);
        issued.push(idToken);
        return json(200, { access_token: randomBytes(16).toString('hex'), token_type: 'Bearer', expires_in: 300, id_token: idToken });
      }
      return response.writeHead(404).end();
    })().catch((error: unknown) => response.writeHead(500).end(String(error)));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  issuer = `http://${issuerHost}:${(server.address() as AddressInfo).port}`;
  return {
    issuer,
    log,
    logouts,
    issued,
    next(user, fault = 'none') {
      upcoming = { user, fault };
    },
    jwksDown(down) {
      jwksDown = down;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
