/**
 * An AWS KMS asymmetric key as the locker's signer: the private key never
 * leaves KMS. KMS offers ECDSA on P-256 (ECC_NIST_P256, ECDSA_SHA_256) for
 * signing, not Ed25519; manifests name the algorithm. Messages are sent as
 * their SHA-256 digest (MessageType DIGEST): KMS takes at most 4 KiB of raw
 * message, and a manifest is larger. Each signature is checked against the
 * key's public key before it is used, so a wrong key or a broken answer fails
 * the run loudly instead of sealing a manifest nobody can verify. The SDK is
 * loaded only when a KMS key is configured (it costs every command about a
 * second of start-up otherwise).
 */
import { createHash } from 'node:crypto';
import type * as KmsSdk from '@aws-sdk/client-kms';
import { LockerError, parsePublicKey, signatureValid, type KeyCustody, type PublicKeyInfo, type Signer } from '@evidentia/locker';

export interface KmsKeySettings {
  keyId: string;
  region?: string;
  endpoint?: string;
}

interface Kms {
  sdk: typeof KmsSdk;
  client: KmsSdk.KMSClient;
}

/**
 * How long one request may wait for KMS. The client's own default is no
 * limit: an endpoint that took the connection and never answered held the
 * run at its commit (and the daemon with it) for ever.
 */
const KMS_TIMEOUT_MS = 30_000;

export interface KmsKeyOptions {
  /** How long one request (each of the client's 3 attempts) may wait for KMS (default 30 s). */
  timeoutMs?: number;
}

const SPEC = 'ECC_NIST_P256';
const ALGORITHM = 'ECDSA_SHA_256';

export class KmsKey implements KeyCustody {
  readonly location: string;
  private client: Promise<Kms> | undefined;
  private publicKey: Promise<PublicKeyInfo> | undefined;

  private readonly timeoutMs: number;

  constructor(
    private readonly settings: KmsKeySettings,
    options: KmsKeyOptions = {},
  ) {
    this.location = `KMS key ${settings.keyId}`;
    this.timeoutMs = options.timeoutMs ?? KMS_TIMEOUT_MS;
  }

  async signerFor(keyId: string): Promise<Signer | null> {
    const publicKey = await this.fetchPublicKey();
    return publicKey.keyId === keyId ? this.signer(publicKey) : null;
  }

  async newSigner(): Promise<Signer> {
    return this.signer(await this.fetchPublicKey());
  }

  private kms(): Promise<Kms> {
    this.client ??= import('@aws-sdk/client-kms').then((sdk) => ({
      sdk,
      client: new sdk.KMSClient({
        region: this.settings.region,
        endpoint: this.settings.endpoint,
        maxAttempts: 3,
        // Without throwOnRequestTimeout the handler only logs a warning at the timeout, and goes on waiting.
        requestHandler: { connectionTimeout: this.timeoutMs, requestTimeout: this.timeoutMs, throwOnRequestTimeout: true },
      }),
    }));
    return this.client;
  }

  /** The key's public half, asked once; a key KMS cannot sign P-256 ECDSA with is refused by name. */
  private fetchPublicKey(): Promise<PublicKeyInfo> {
    this.publicKey ??= this.call('GetPublicKey', async () => {
      const { client, sdk } = await this.kms();
      return client.send(new sdk.GetPublicKeyCommand({ KeyId: this.settings.keyId }));
    }).then((answer) => {
      if (answer.KeySpec !== SPEC || answer.KeyUsage !== 'SIGN_VERIFY' || !answer.SigningAlgorithms?.includes(ALGORITHM) || !answer.PublicKey) {
        throw new LockerError(`${this.location} is a ${answer.KeySpec ?? '?'} ${answer.KeyUsage ?? '?'} key: evidentia signs with an ${SPEC} SIGN_VERIFY key (${ALGORITHM})`);
      }
      return parsePublicKey(Buffer.from(answer.PublicKey));
    });
    // A failed answer is not kept: the daemon asks again on its next run.
    this.publicKey.catch(() => (this.publicKey = undefined));
    return this.publicKey;
  }

  private signer(publicKey: PublicKeyInfo): Signer {
    return {
      publicKey,
      location: this.location,
      sign: async (message) => {
        const digest = createHash('sha256').update(message).digest();
        const answer = await this.call('Sign', async () => {
          const { client, sdk } = await this.kms();
          return client.send(new sdk.SignCommand({ KeyId: this.settings.keyId, Message: digest, MessageType: 'DIGEST', SigningAlgorithm: ALGORITHM }));
        });
        const signature = Buffer.from(answer.Signature ?? []);
        if (!signatureValid(message, signature.toString('base64'), publicKey)) {
          throw new LockerError(`${this.location}: the signature it returned does not verify with its public key ${publicKey.keyId}`);
        }
        return signature;
      },
    };
  }

  private async call<T>(operation: string, send: () => Promise<T>): Promise<T> {
    try {
      return await send();
    } catch (error) {
      // The client's own words for a timeout name neither whom it waited for nor that nothing came back.
      if ((error as Error).name === 'TimeoutError') {
        throw new LockerError(`${this.location}: ${operation} failed: no answer from ${this.settings.endpoint ?? `KMS in ${this.settings.region ?? "the SDK's region"}`} within ${this.timeoutMs / 1000} s`);
      }
      throw new LockerError(`${this.location}: ${operation} failed: ${(error as Error).name}: ${(error as Error).message}`);
    }
  }
}
