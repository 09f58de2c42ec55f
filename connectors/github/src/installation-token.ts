/**
 * A GitHub App installation's access token for one stream run. GitHub's
 * installation tokens expire an hour after they are issued, and a stream run
 * of a large organization under rate limits can last longer: the token is
 * renewed a few minutes before the `expires_at` GitHub gave (by the run's
 * clock), and once more when GitHub refuses it anyway (a 401: GitHub's clock
 * ahead of ours, a token revoked), so a long run does not fail midway. The
 * exchange goes through the SDK's credential fetch: retried and budgeted
 * like every request, but its response body *is* a credential, so it is
 * never stored as a snapshot.
 */
import type { StreamContext } from '@evidentia/sdk';
import { appJwt } from './auth.js';
import { restBaseUrl, type GitHubConfig } from './config.js';
import { ErrorBody, InstallationToken, parseResponse } from './schema.js';

/** How long before its expiry a token is renewed: a request sent with it must still reach GitHub in time. */
const RENEW_AHEAD_MS = 5 * 60_000;

type ExchangeContext = Pick<StreamContext<GitHubConfig>, 'config' | 'credentialFetch'>;

/** An installation token and when GitHub said it expires. */
export interface IssuedToken {
  token: string;
  expiresAt: Date;
}

/** Exchange the app's JWT (signed as of `now`) for an installation token. */
export async function installationToken(ctx: ExchangeContext, userAgent: string, now: Date = new Date()): Promise<IssuedToken> {
  const app = ctx.config.app!;
  const route = `POST /app/installations/${String(app.installationId)}/access_tokens`;
  const jwt = appJwt(String(app.appId), app.privateKey.reveal(), now);
  const response = await ctx.credentialFetch(`${restBaseUrl(ctx.config)}/app/installations/${String(app.installationId)}/access_tokens`, {
    method: 'POST',
    headers: { accept: 'application/vnd.github+json', authorization: `Bearer ${jwt}`, 'user-agent': userAgent },
  });
  const body: unknown = await response.json().catch(() => null);
  if (!response.ok) {
    const message = ErrorBody.safeParse(body);
    throw new Error(`GitHub App token exchange failed: HTTP ${response.status} on ${route}${message.success ? `: ${message.data.message}` : ''}`);
  }
  const issued = parseResponse(route, InstallationToken, body);
  return { token: issued.token, expiresAt: new Date(issued.expires_at) };
}

/** The run's installation token: one exchange at a time, shared by the requests sent meanwhile. */
export class InstallationTokens {
  private issued: IssuedToken | null = null;
  private renewing: Promise<IssuedToken> | null = null;

  constructor(
    private readonly ctx: ExchangeContext & Pick<StreamContext<GitHubConfig>, 'now'>,
    private readonly userAgent: string,
  ) {}

  /** The token to send now: a new one first when none is held or it expires within RENEW_AHEAD_MS. */
  async current(): Promise<string> {
    if (this.renewing) return (await this.renewing).token;
    if (this.issued && this.issued.expiresAt.getTime() - RENEW_AHEAD_MS > this.ctx.now().getTime()) return this.issued.token;
    return this.renew(this.issued?.token ?? null);
  }

  /** A new token in place of `stale` (GitHub refused it, or it is about to expire), unless another request already replaced it. */
  async renew(stale: string | null): Promise<string> {
    if (this.renewing) return (await this.renewing).token;
    if (this.issued && this.issued.token !== stale) return this.issued.token;
    this.renewing = installationToken(this.ctx, this.userAgent, this.ctx.now());
    try {
      this.issued = await this.renewing;
      return this.issued.token;
    } finally {
      this.renewing = null;
    }
  }
}
