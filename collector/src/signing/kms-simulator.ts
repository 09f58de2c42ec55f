/**
 * A small AWS KMS for tests, on 127.0.0.1: the JSON 1.1 protocol
 * (`x-amz-target: TrentService.<Operation>`, base64 blobs, errors as
 * `{"__type", "message"}` with HTTP 400), the two operations a signer uses
 * (GetPublicKey, Sign), keys found by id, ARN or alias, and the private key
 * held here only. Sign answers a DER ECDSA signature as KMS does, over the
 * SHA-256 of a RAW message (at most 4096 bytes) or over a 32-byte DIGEST.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createHash, generateKeyPairSync, randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { p256 } from '@noble/curves/nist.js';

export interface KmsSimulator {
  endpoint: string;
  /** The key's ARN; `alias/evidentia` names it too. */
  keyArn: string;
  publicKeyPem: string;
  /** Every call: operation and request body (blobs as sent, base64). */
  calls: Array<{ operation: string; body: Record<string, unknown> }>;
  /** From now on, refuse `operation` as an IAM policy that does not allow it does (AccessDeniedException). */
  deny(operation: 'GetPublicKey' | 'Sign'): void;
  /** Disable the key, as `aws kms disable-key` does (DisabledException). */
  disable(): void;
  close(): Promise<void>;
}

const REGION = 'us-east-1';
const ACCOUNT = '111122223333';

class KmsError extends Error {
  constructor(
    readonly type: string,
    message: string,
  ) {
    super(message);
  }
}

/** `keySpec` other than ECC_NIST_P256 gives a key evidentia cannot sign with (to test refusals): a symmetric key, or an RSA signing key. */
export async function startKmsSimulator(options: { keySpec?: 'ECC_NIST_P256' | 'SYMMETRIC_DEFAULT' | 'RSA_2048' } = {}): Promise<KmsSimulator> {
  const keySpec = options.keySpec ?? 'ECC_NIST_P256';
  const keyId = randomUUID();
  const keyArn = `arn:aws:kms:${REGION}:${ACCOUNT}:key/${keyId}`;
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const secret = Buffer.from(privateKey.export({ format: 'jwk' }).d!, 'base64url');
  const calls: KmsSimulator['calls'] = [];
  const denied = new Set<string>();
  let disabled = false;
  const rsa = keySpec === 'RSA_2048' ? generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey : null;

  const findKey = (id: unknown) => {
    if (id !== keyId && id !== keyArn && id !== 'alias/evidentia') throw new KmsError('NotFoundException', `Key '${String(id)}' does not exist`);
    if (disabled) throw new KmsError('DisabledException', `${keyArn} is disabled.`);
  };
  const signing = keySpec !== 'SYMMETRIC_DEFAULT';
  const operations: Record<string, (body: Record<string, unknown>) => Record<string, unknown>> = {
    GetPublicKey(body) {
      findKey(body.KeyId);
      if (!signing) throw new KmsError('UnsupportedOperationException', `${keyArn} is not an asymmetric key`);
      return {
        KeyId: keyArn,
        PublicKey: (rsa ?? publicKey).export({ type: 'spki', format: 'der' }).toString('base64'),
        KeySpec: keySpec,
        CustomerMasterKeySpec: keySpec,
        KeyUsage: 'SIGN_VERIFY',
        SigningAlgorithms: rsa ? ['RSASSA_PSS_SHA_256', 'RSASSA_PKCS1_V1_5_SHA_256'] : ['ECDSA_SHA_256'],
      };
    },
    Sign(body) {
      findKey(body.KeyId);
      if (!signing) throw new KmsError('InvalidKeyUsageException', `${keyArn} key usage is ENCRYPT_DECRYPT which is not valid for signing`);
      if (body.SigningAlgorithm !== 'ECDSA_SHA_256') throw new KmsError('InvalidKeyUsageException', `Algorithm ${String(body.SigningAlgorithm)} is incompatible with key spec ${keySpec}`);
      const message = Buffer.from(String(body.Message ?? ''), 'base64');
      const type = body.MessageType ?? 'RAW';
      if (type === 'DIGEST' && message.length !== 32) throw new KmsError('ValidationException', 'Digest is invalid length for algorithm ECDSA_SHA_256');
      if (type === 'RAW' && (message.length === 0 || message.length > 4096)) throw new KmsError('ValidationException', "1 validation error detected: Value at 'message' failed to satisfy constraint: Member must have length less than or equal to 4096");
      const digest = type === 'DIGEST' ? message : createHash('sha256').update(message).digest();
      const signature = p256.sign(digest, secret, { prehash: false, format: 'der', lowS: false });
      return { KeyId: keyArn, Signature: Buffer.from(signature).toString('base64'), SigningAlgorithm: 'ECDSA_SHA_256' };
    },
  };

  const answer = (response: ServerResponse, status: number, body: Record<string, unknown>) => {
    response.writeHead(status, { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-requestid': randomUUID() });
    response.end(JSON.stringify(body));
  };
  const handle = async (request: IncomingMessage, response: ServerResponse) => {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const target = String(request.headers['x-amz-target'] ?? '');
    const operation = target.startsWith('TrentService.') ? target.slice('TrentService.'.length) : '';
    try {
      if (request.method !== 'POST' || !String(request.headers['content-type']).startsWith('application/x-amz-json-1.1')) throw new KmsError('SerializationException', 'expected a JSON 1.1 POST');
      if (!String(request.headers.authorization ?? '').startsWith('AWS4-HMAC-SHA256 ')) throw new KmsError('MissingAuthenticationTokenException', 'Request is missing Authentication Token');
      const run = operations[operation];
      if (!run) throw new KmsError('UnknownOperationException', `unknown operation ${target}`);
      if (denied.has(operation)) {
        throw new KmsError('AccessDeniedException', `User: arn:aws:iam::${ACCOUNT}:user/evidentia is not authorized to perform: kms:${operation} on resource: ${keyArn} because no identity-based policy allows the kms:${operation} action`);
      }
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as Record<string, unknown>;
      calls.push({ operation, body });
      answer(response, 200, run(body));
    } catch (error) {
      const type = error instanceof KmsError ? error.type : 'KMSInternalException';
      answer(response, error instanceof KmsError ? 400 : 500, { __type: type, message: (error as Error).message });
    }
  };
  const server = createServer((request, response) => void handle(request, response));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    keyArn,
    publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    calls,
    deny: (operation) => void denied.add(operation),
    disable: () => void (disabled = true),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
