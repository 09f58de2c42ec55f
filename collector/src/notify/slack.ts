/**
 * The Slack notifier: posts one message per event to the configured channel
 * with chat.postMessage (@slack/web-api). A notification is never worth
 * failing or stalling the work that triggered it, so:
 *
 * - retries are bounded: the client's own retries (5xx, network errors) are
 *   set to 2 (`retryConfig: { retries: 2 }`, short backoff);
 * - a 429 is rejected by the client (`rejectRateLimitedCalls`), and this
 *   module waits out its Retry-After itself, at most twice and only when
 *   Slack asks for 30 s or less: the client alone would sleep for however
 *   long Slack asks, blocking `collect` with it;
 * - any failure (`{ok:false}` such as channel_not_found, HTTP errors, an
 *   unreachable API) is logged with log.warn and swallowed, except for gaps
 *   and checkpoints: those reject, because their callers keep a record of
 *   what was told (notified-gaps.json, the run's witness warnings) and must
 *   not count an undelivered one as told.
 */
import { WebAPIHTTPError, WebAPIPlatformError, WebAPIRateLimitedError, WebAPIRequestError, WebClient, LogLevel, type RetryOptions } from '@slack/web-api';
import type { Manifest, SignedCheckpoint } from '@evidentia/locker';
import type { Logger } from '@evidentia/sdk';
import type { LoadedConfig } from '../config/load.js';
import type { ExceptionNotice, GapNotice, Notifier, UnrecordedRunNotice, UnwitnessedCheckpointNotice } from './notifier.js';
import { checkpointMessage, exceptionsMessage, gapsMessage, runMessage, unrecordedRunMessage, unwitnessedCheckpointMessage } from './slack-messages.js';
import { scrubSecrets, scrubSecretsIn } from '../config/known-secrets.js';

export type SlackSettings = NonNullable<LoadedConfig['notifications']['slack']>;

export interface SlackNotifierOptions {
  /** The transport (default: global fetch). */
  fetch?: typeof fetch;
  /** The client's retries of 5xx and network errors (default: 2, backoff 0.5–2 s). */
  retryConfig?: RetryOptions;
  /** How rate-limit waits happen (tests record them instead). */
  sleep?: (ms: number) => Promise<void>;
  /** Per-request timeout (default 10 s). */
  timeoutMs?: number;
}

export const DEFAULT_API_URL = 'https://slack.com/api';
const DEFAULT_RETRY: RetryOptions = { retries: 2, factor: 2, minTimeout: 500, maxTimeout: 2_000 };
const RATE_LIMIT_RETRIES = 2;
const MAX_RATE_LIMIT_WAIT_S = 30;

const quietLogger = { debug() {}, info() {}, warn() {}, error() {}, setLevel() {}, getLevel: () => LogLevel.ERROR, setName() {} };

/** Why a post failed, in one line (never the token). */
function reasonOf(error: unknown): string {
  if (error instanceof WebAPIPlatformError) return `Slack answered ${error.data.error}`;
  if (error instanceof WebAPIRateLimitedError) return `rate limited; Slack asks to wait ${error.retryAfter} s`;
  if (error instanceof WebAPIHTTPError) return `HTTP ${error.statusCode}`;
  if (error instanceof WebAPIRequestError) return `request failed: ${error.original.message}`;
  return error instanceof Error ? error.message : String(error);
}

export class SlackNotifier implements Notifier {
  private readonly web: WebClient;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(
    private readonly settings: SlackSettings,
    private readonly log: Logger,
    options: SlackNotifierOptions = {},
  ) {
    this.web = new WebClient(settings.token.reveal(), {
      slackApiUrl: `${(settings.apiUrl ?? DEFAULT_API_URL).replace(/\/+$/, '')}/`,
      retryConfig: options.retryConfig ?? DEFAULT_RETRY,
      rejectRateLimitedCalls: true,
      timeout: options.timeoutMs ?? 10_000,
      logger: quietLogger,
      ...(options.fetch ? { fetch: options.fetch } : {}),
    });
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
  }

  async runFinished(manifest: Manifest): Promise<void> {
    // Scrubbed before Slack escaping (which would hide a secret holding & < >) of every secret the config resolved:
    // notices carry text from elsewhere (check details, item keys, gap reasons).
    await this.post('run', () => runMessage(scrubSecretsIn(manifest)));
  }

  async runNotRecorded(notice: UnrecordedRunNotice): Promise<void> {
    await this.post('run', () => unrecordedRunMessage(scrubSecretsIn(notice)));
  }

  async checkpointNotWitnessed(notice: UnwitnessedCheckpointNotice): Promise<void> {
    await this.post('witness', () => unwitnessedCheckpointMessage(scrubSecretsIn(notice)));
  }

  /** Rejects when Slack did not take the message, so notifyNewGaps keeps the gaps to announce again after the next run. */
  async gapsFound(gaps: GapNotice[]): Promise<void> {
    const text = gapsMessage(scrubSecretsIn(gaps));
    if (text !== null) await this.deliver(text);
  }

  async exceptionsFound(exceptions: ExceptionNotice[]): Promise<void> {
    await this.post('exceptions', () => exceptionsMessage(scrubSecretsIn(exceptions)));
  }

  /**
   * Post a sealed run's checkpoint (the Slack witness). Unlike the other
   * messages a failure is thrown: the caller turns it into a run warning.
   */
  async postCheckpoint(signed: SignedCheckpoint): Promise<void> {
    await this.deliver(checkpointMessage(signed));
  }

  /** Post one message; a failure is thrown, naming the channel and why (never the token). */
  private async deliver(text: string): Promise<void> {
    try {
      await this.send(text);
    } catch (error) {
      throw new Error(`could not post to ${this.settings.channel}: ${scrubSecrets(reasonOf(error))}`);
    }
  }

  /** Post one message, if there is one; never throws. */
  private async post(what: string, compose: () => string | null): Promise<void> {
    try {
      const text = compose();
      if (text !== null) await this.send(text);
    } catch (error) {
      this.log.warn(`could not post the ${what} notification to Slack`, { channel: this.settings.channel, error: scrubSecrets(reasonOf(error)) });
    }
  }

  /** One chat.postMessage, waiting out a short Retry-After at most twice. */
  private async send(text: string): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      try {
        await this.web.chat.postMessage({ channel: this.settings.channel, text, unfurl_links: false, unfurl_media: false });
        return;
      } catch (error) {
        const wait = error instanceof WebAPIRateLimitedError ? error.retryAfter : null;
        if (wait === null || attempt >= RATE_LIMIT_RETRIES || wait > MAX_RATE_LIMIT_WAIT_S) throw error;
        await this.sleep(wait * 1000);
      }
    }
  }
}
