/**
 * OpenID Connect sign-in through openid-client: discovery of the issuer,
 * then the authorization code flow with PKCE (S256), state and nonce. The ID
 * token's signature is checked against the issuer's JWKS (non-repudiation
 * checks on: the token endpoint's TLS alone is not trusted for it), and its
 * iss, aud, exp and nonce by the library; its iat, which the library checks
 * only for being too old, here for being ahead. The client's authentication
 * is checked against the IdP's advertised methods at discovery. Flows in progress are kept in
 * memory for ten minutes, keyed by a random id in a cookie of their own, so
 * a code can only be redeemed by the browser that asked for it. Sign-out
 * goes on to the IdP's RP-initiated logout when its discovery document
 * advertises an end_session_endpoint.
 */
import * as client from 'openid-client';
import { mapClaims, type OidcMatch, isLoopback } from './oidc-roles.js';
import type { OidcSettings, RevealableSecret } from './oidc-settings.js';
import { newToken } from './sessions.js';

const PENDING_MS = 10 * 60_000;
/** How far in the future an ID token's iat may be (clock skew); the library checks only that it is not too old. */
const ISSUED_AHEAD_S = 60;
const MAX_PENDING = 10_000;

interface Pending {
  state: string;
  nonce: string;
  verifier: string;
  started: number;
}

export class OidcSignIn {
  private readonly pending = new Map<string, Pending>();

  private constructor(
    private readonly settings: OidcSettings,
    private readonly config: client.Configuration,
    private readonly clock: () => number,
  ) {}

  /** Reads the issuer's discovery document; throws (one line) when it cannot. */
  static async discover(settings: OidcSettings, clock: () => number = Date.now): Promise<OidcSignIn> {
    const issuer = new URL(settings.issuer);
    const auth = settings.clientSecret ? client.ClientSecretBasic(revealed(settings.clientSecret)) : client.None();
    const execute = [client.enableNonRepudiationChecks, ...(issuer.protocol === 'http:' && isLoopback(issuer.hostname) ? [client.allowInsecureRequests] : [])];
    let config: client.Configuration;
    try {
      config = await client.discovery(issuer, settings.clientId, undefined, auth, { execute, timeout: 10 });
    } catch (error) {
      throw new Error(`portal.oidc.issuer ${settings.issuer}: discovery failed: ${messageOf(error)}`);
    }
    const problem = clientAuthProblem(settings, config.serverMetadata().token_endpoint_auth_methods_supported);
    if (problem) throw new Error(problem);
    return new OidcSignIn(settings, config, clock);
  }

  /** A new flow: the id for its cookie and the IdP URL to send the browser to. */
  async begin(): Promise<{ flow: string; url: string }> {
    this.sweep();
    const pending: Pending = { state: client.randomState(), nonce: client.randomNonce(), verifier: client.randomPKCECodeVerifier(), started: this.clock() };
    const flow = newToken();
    this.pending.set(flow, pending);
    const url = client.buildAuthorizationUrl(this.config, {
      redirect_uri: this.settings.redirectUrl,
      scope: this.settings.scopes.join(' '),
      state: pending.state,
      nonce: pending.nonce,
      code_challenge: await client.calculatePKCECodeChallenge(pending.verifier),
      code_challenge_method: 'S256',
    });
    return { flow, url: url.href };
  }

  /**
   * The end of a flow: the callback's query redeemed at the token endpoint,
   * the ID token checked, its claims mapped to a role. A flow is used once.
   */
  async finish(flow: string | undefined, query: string): Promise<OidcMatch & { idToken?: string }> {
    const pending = flow ? this.pending.get(flow) : undefined;
    if (flow) this.pending.delete(flow);
    if (!pending || this.clock() - pending.started > PENDING_MS) return { ok: false, reason: 'this sign-in was not started here or took too long: start again' };
    // The callback as the IdP was told to call it, with the query the browser brought.
    const current = new URL(this.settings.redirectUrl);
    current.search = query;
    try {
      const tokens = await client.authorizationCodeGrant(this.config, current, { pkceCodeVerifier: pending.verifier, expectedState: pending.state, expectedNonce: pending.nonce, idTokenExpected: true });
      const claims = tokens.claims();
      if (!claims) return { ok: false, reason: 'the identity provider sent no ID token' };
      // A token from the future was minted for later use or by a clock that is wrong: either way not a sign-in now.
      const ahead = claims.iat - Math.floor(this.clock() / 1000);
      if (ahead > ISSUED_AHEAD_S) return { ok: false, reason: `the ID token's iat (issued at) is ${ahead} s in the future: the identity provider's clock or this server's is wrong` };
      const match = mapClaims(claims, this.settings);
      return match.ok && tokens.id_token ? { ...match, idToken: tokens.id_token } : match;
    } catch (error) {
      return { ok: false, reason: `the identity provider's answer was refused: ${messageOf(error, this.endpoints())}` };
    }
  }

  /**
   * The IdP's RP-initiated logout URL for a session (its ID token as the
   * hint, the client id, and post_logout_redirect_uri when configured), or
   * null when the IdP advertises no end_session_endpoint: then only the
   * portal's own session can be ended.
   */
  endSessionUrl(idToken: string | undefined): string | null {
    if (!this.config.serverMetadata().end_session_endpoint) return null;
    const parameters: Record<string, string> = { client_id: this.settings.clientId };
    if (idToken) parameters.id_token_hint = idToken;
    if (this.settings.postLogoutRedirectUrl) parameters.post_logout_redirect_uri = this.settings.postLogoutRedirectUrl;
    return client.buildEndSessionUrl(this.config, parameters).href;
  }

  /** The IdP's endpoints by URL, so an error can say which one failed. */
  private endpoints(): Map<string, string> {
    const metadata = this.config.serverMetadata();
    const named: Array<[string | undefined, string]> = [[metadata.jwks_uri, 'the JWKS'], [metadata.token_endpoint, 'the token endpoint']];
    return new Map(named.filter((entry): entry is [string, string] => entry[0] !== undefined));
  }

  private sweep(): void {
    const now = this.clock();
    for (const [flow, pending] of this.pending) if (now - pending.started > PENDING_MS) this.pending.delete(flow);
    // Unfinished flows cost memory: past the cap the oldest go first.
    for (const flow of this.pending.keys()) {
      if (this.pending.size < MAX_PENDING) break;
      this.pending.delete(flow);
    }
  }
}

/**
 * Why the IdP would refuse this client at its token endpoint, or null: the portal authenticates with
 * client_secret_basic when a secret is configured, as a public client (none) otherwise. Said at start, not as
 * invalid_client at every sign-in. An IdP that lists no methods is taken at its word (the default, basic).
 */
function clientAuthProblem(settings: OidcSettings, methods: readonly string[] | undefined): string | null {
  if (!methods) return null;
  const offered = `its token_endpoint_auth_methods_supported: ${methods.join(', ')}`;
  if (!settings.clientSecret && !methods.includes('none')) return `portal.oidc.clientSecret: not set, but the identity provider ${settings.issuer} takes no public client (${offered}): give the client secret by reference, e.g. \${env:NAME}`;
  if (settings.clientSecret && !methods.includes('client_secret_basic')) return `portal.oidc.clientSecret: the identity provider ${settings.issuer} does not take a client secret in the Authorization header (client_secret_basic; ${offered})`;
  return null;
}

function revealed(secret: RevealableSecret): string {
  try {
    return secret.reveal();
  } catch {
    throw new Error(`portal.oidc.clientSecret ${secret.reference}: not available to this command (an unset environment variable or an unreadable file)`);
  }
}

/**
 * One line for an error of openid-client: its message, and its cause, which for an
 * unexpected HTTP status is the response itself (said as the endpoint and status),
 * and for an OAuth error answer the error code and description the IdP sent.
 */
function messageOf(error: unknown, endpoints: ReadonlyMap<string, string> = new Map()): string {
  const message = error instanceof Error ? error.message : String(error);
  const cause = error instanceof Error ? error.cause : undefined;
  let detail = '';
  if (cause instanceof Error) detail = ` (${cause.message})`;
  else if (cause instanceof Response) detail = ` (${endpoints.get(cause.url) ?? 'the identity provider'} ${cause.url} answered HTTP ${cause.status})`;
  const oauth = error as { error?: unknown; error_description?: unknown };
  if (typeof oauth.error === 'string') detail += ` (${oauth.error}${typeof oauth.error_description === 'string' ? `: ${oauth.error_description}` : ''})`;
  return `${message}${detail}`.replace(/\s+/g, ' ');
}
