/**
 * One AWS account as the connector talks to it: the official SDK v3 clients
 * (IAM, CloudTrail per region, STS) built on the evidentia fetch with their
 * own retries off (`maxAttempts: 1`), credentials (static, the default
 * provider chain, or an assumed role renewed before it expires),
 * the identity recorded in provenance, and `call`, which parses each output
 * at the edge and returns it with the snapshot it came from. The SDK clients
 * return only parsed outputs, never the response headers that carry the
 * snapshot hash, so in a stream every call runs inside `ctx.sourcesOf`,
 * which names the snapshots recorded during it. The typed operations the
 * streams use live in api.ts.
 */
import type { CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import type { IdentitystoreClient as IdentityStoreClient } from '@aws-sdk/client-identitystore';
import type { IAMClient } from '@aws-sdk/client-iam';
import { redactUrl, selectHeaders, type Pacer, type WithSources } from '@evidentia/sdk';
import type { z } from 'zod';
import { accountRegions, type AwsAccountConfig, type AwsConfig } from './config.js';
import { AwsCallError, describeAwsFailure } from './errors.js';
import { FetchRequestHandler } from './fetch-handler.js';
import { lookupEventsPace } from './pacer.js';
import { AssumedCredentials, CallerIdentity, parseResponse } from './schema.js';
import { type AwsSdk, loadAwsSdk } from './sdk.js';

/** A parsed output with the snapshot hash of the response it came from. */
export interface Sourced<T> {
  value: T;
  source: string;
}

/** What the account needs from a stream context (or, without `sourcesOf` and `snapshot`, from a doctor context). */
export interface AwsContext {
  readonly fetch: typeof fetch;
  /** For AssumeRole, whose response is a credential; the doctor passes its (unrecorded) fetch. */
  readonly credentialFetch?: typeof fetch;
  readonly signal: AbortSignal;
  /** The clock that judges when an assumed-role session needs renewing (default: the system clock). */
  now?(): Date;
  setIdentity?(identity: string): void;
  /** Streams: names the snapshots each call rests on, and every answer must be one. */
  sourcesOf?<T>(work: () => Promise<T>): Promise<WithSources<T>>;
  snapshot?(provenance: { method: string; url: string; requestBody: unknown; status: number; headers: Record<string, string> }, body: unknown): Promise<string>;
}

type Credentials = { accessKeyId: string; secretAccessKey: string; sessionToken?: string; expiration?: Date };
type SdkSend = (options: { abortSignal: AbortSignal }) => Promise<unknown>;

const ROLE_SESSION_SECONDS = 3600;
const REFRESH_MARGIN_MS = 5 * 60_000;

function baseCredentials(config: AwsConfig): Credentials | undefined {
  const given = config.credentials;
  if (!given) return undefined;
  return { accessKeyId: given.accessKeyId.reveal(), secretAccessKey: given.secretAccessKey.reveal(), sessionToken: given.sessionToken?.reveal() };
}

/**
 * Credentials of an assumed role, as a provider the SDK calls before each
 * request: one session shared by every client of the account, renewed five
 * minutes before it expires. AssumeRole goes through the credential fetch,
 * so its response (a credential) is never stored.
 */
function roleCredentials(sdk: AwsSdk, ctx: AwsContext, sts: { endpoint?: string; region?: string; credentials?: Credentials }, roleArn: string, account: AwsAccountConfig): () => Promise<Credentials> {
  const client = new sdk.sts.STSClient({ ...sts, maxAttempts: 1, requestHandler: new FetchRequestHandler(ctx.credentialFetch ?? ctx.fetch) });
  const now = () => ctx.now?.().getTime() ?? Date.now();
  let session: { credentials: Promise<Credentials>; expiresAt: number } | null = null;
  const assume = async (): Promise<Credentials> => {
    const input = { RoleArn: roleArn, RoleSessionName: `evidentia-${account.alias}`, ExternalId: account.externalId, DurationSeconds: ROLE_SESSION_SECONDS };
    const assumed = await client.send(new sdk.sts.AssumeRoleCommand(input), { abortSignal: ctx.signal }).catch((error: unknown) => Promise.reject(describeAwsFailure('sts:AssumeRole', error, null)));
    const { Credentials: c } = parseResponse('sts:AssumeRole', AssumedCredentials, assumed);
    return { accessKeyId: c.AccessKeyId, secretAccessKey: c.SecretAccessKey, sessionToken: c.SessionToken, expiration: c.Expiration };
  };
  return () => {
    if (!session || session.expiresAt - now() < REFRESH_MARGIN_MS) {
      const current = { credentials: assume(), expiresAt: Infinity };
      session = current;
      current.credentials.then(
        (c) => (current.expiresAt = c.expiration?.getTime() ?? Infinity),
        () => (session = session === current ? null : session),
      );
    }
    return session.credentials;
  };
}

export class AwsAccount {
  readonly iam: IAMClient;
  readonly #cloudTrail = new Map<string, CloudTrailClient>();
  #identityStore: IdentityStoreClient | undefined;

  private constructor(
    readonly sdk: AwsSdk,
    private readonly ctx: AwsContext,
    private readonly handler: FetchRequestHandler,
    private readonly clientConfig: { endpoint?: string; credentials?: Credentials | (() => Promise<Credentials>) },
    readonly alias: string,
    readonly regions: string[],
    readonly accountId: string,
    readonly identity: string,
  ) {
    this.iam = new sdk.iam.IAMClient({ ...clientConfig, region: regions[0], maxAttempts: 1, requestHandler: handler });
  }

  /**
   * Resolve credentials (assuming the role if configured), ask STS who we are and record that identity.
   * With `lookupPacer`, every LookupEvents attempt waits on the account's bucket for its region.
   */
  static async connect(ctx: AwsContext, config: AwsConfig, account: AwsAccountConfig, lookupPacer?: Pacer): Promise<AwsAccount> {
    const sdk = await loadAwsSdk();
    const regions = accountRegions(config, account);
    const region = regions[0];
    const endpoint = config.endpoint;
    const base = baseCredentials(config);
    const credentials = account.roleArn ? roleCredentials(sdk, ctx, { endpoint, region, credentials: base }, account.roleArn, account) : base;
    const handler = new FetchRequestHandler(ctx.fetch, lookupPacer ? lookupEventsPace(lookupPacer, account.alias) : undefined);
    const sts = new sdk.sts.STSClient({ endpoint, region, credentials, maxAttempts: 1, requestHandler: handler });
    // A failed AssumeRole arrives here already described (by roleCredentials).
    const output = await sts.send(new sdk.sts.GetCallerIdentityCommand({}), { abortSignal: ctx.signal }).catch((error: unknown) => {
      throw error instanceof AwsCallError ? error : describeAwsFailure('sts:GetCallerIdentity', error, null);
    });
    const caller = parseResponse('sts:GetCallerIdentity', CallerIdentity, output);
    ctx.setIdentity?.(caller.Arn);
    return new AwsAccount(sdk, ctx, handler, { endpoint, credentials }, account.alias, regions, caller.Account, caller.Arn);
  }

  /** The IdentityStore client of the Identity Center's region. */
  identityStore(region: string): IdentityStoreClient {
    this.#identityStore ??= new this.sdk.identityStore.IdentitystoreClient({ ...this.clientConfig, region, maxAttempts: 1, requestHandler: this.handler });
    return this.#identityStore;
  }

  /** The CloudTrail client of a region (CloudTrail is regional; IAM is global). */
  cloudTrail(region: string): CloudTrailClient {
    let client = this.#cloudTrail.get(region);
    if (!client) {
      client = new this.sdk.cloudTrail.CloudTrailClient({ ...this.clientConfig, region, maxAttempts: 1, requestHandler: this.handler });
      this.#cloudTrail.set(region, client);
    }
    return client;
  }

  /**
   * One SDK call: `action` (e.g. `iam:GetCredentialReport`) names it in errors, with
   * the account's alias and, for a regional service, the `region` (several
   * accounts and regions fail alike, so the action alone does not say where); the
   * output is parsed with `schema`, and the snapshot of its response is
   * returned as `source` ('' when nothing is recorded, as in doctor).
   */
  async call<S extends z.ZodType>(action: string, schema: S, send: SdkSend, region?: string): Promise<Sourced<z.output<S>>> {
    const where = `${region === undefined ? '' : ` in ${region}`} of ${this.alias}`;
    const { signal, exchange } = this.handler.track(this.ctx.signal);
    const work = () => send({ abortSignal: signal });
    let output: WithSources<unknown>;
    try {
      output = this.ctx.sourcesOf ? await this.ctx.sourcesOf(work) : { value: await work(), sources: [] };
    } catch (error) {
      this.ctx.signal.throwIfAborted();
      // A renewal of the assumed role that failed is already described.
      if (error instanceof AwsCallError) throw error;
      const failure = describeAwsFailure(action, error, this.identity, where);
      failure.response = exchange.failure;
      throw failure;
    }
    const value = parseResponse(`${action}${where}`, schema, output.value);
    const source = output.sources.at(-1) ?? '';
    if (this.ctx.sourcesOf && source === '') throw new Error(`${action}${where}: the response was not recorded as a snapshot`);
    return { value, source };
  }

  /** Store an error response as a snapshot when the error itself is the evidence (IAM's "no password policy"). */
  async keepErrorResponse(error: unknown): Promise<string> {
    const failure = error instanceof AwsCallError ? error.response : null;
    if (!this.ctx.snapshot || !failure) throw error;
    const provenance = { method: failure.method, url: redactUrl(failure.url), requestBody: failure.requestBody, status: failure.status, headers: selectHeaders(failure.headers) };
    return this.ctx.snapshot(provenance, failure.text);
  }
}
