import { describe, it, expect, afterEach, beforeAll } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import { createServer, type Socket } from 'node:net';
import { parsePublicKey, signatureValid } from '@evidentia/locker';
import { KmsKey } from './kms-key.js';
import { startKmsSimulator, type KmsSimulator } from './kms-simulator.js';

let kms: KmsSimulator | undefined;
afterEach(async () => {
  await kms?.close();
  kms = undefined;
});

beforeAll(() => {
  // The SDK's default credential chain, as in production; these only satisfy the simulator's signature check.
  Object.assign(process.env, { AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE', AWS_SECRET_ACCESS_KEY: 'test-secret', AWS_EC2_METADATA_DISABLED: 'true' });
});

const keyOf = (sim: KmsSimulator, keyId = sim.keyArn) => new KmsKey({ keyId, region: 'us-east-1', endpoint: sim.endpoint });

describe('KmsKey (the real @aws-sdk/client-kms against a local KMS)', () => {
  it('signs a message larger than KMS takes raw, by digest, with an ECDSA signature that verifies with the key', async () => {
    kms = await startKmsSimulator();
    const signer = await keyOf(kms, 'alias/evidentia').newSigner();
    expect(signer.publicKey).toMatchObject({ algorithm: 'ecdsa-p256-sha256', keyId: parsePublicKey(kms.publicKeyPem).keyId });
    expect(signer.location).toBe('KMS key alias/evidentia');
    const message = randomBytes(100_000);
    const signature = await signer.sign(message);
    expect(signature[0]).toBe(0x30); // DER SEQUENCE, as KMS returns it
    expect(signatureValid(message, signature.toString('base64'), signer.publicKey)).toBe(true);
    expect(signatureValid(Buffer.from('other'), signature.toString('base64'), signer.publicKey)).toBe(false);
    expect(kms.calls.map((call) => call.operation)).toEqual(['GetPublicKey', 'Sign']);
    expect(kms.calls[1]!.body).toMatchObject({ KeyId: 'alias/evidentia', MessageType: 'DIGEST', SigningAlgorithm: 'ECDSA_SHA_256' });
  });

  it('is the signer only for its own key id, asking KMS for the public key once', async () => {
    kms = await startKmsSimulator();
    const key = keyOf(kms);
    const { keyId } = parsePublicKey(kms.publicKeyPem);
    expect((await key.signerFor(keyId))?.publicKey.keyId).toBe(keyId);
    expect(await key.signerFor('0'.repeat(64))).toBeNull();
    expect(kms.calls.filter((call) => call.operation === 'GetPublicKey')).toHaveLength(1);
  });

  it('refuses a key that cannot sign, and an unknown key, in one line naming it', async () => {
    kms = await startKmsSimulator({ keySpec: 'SYMMETRIC_DEFAULT' });
    await expect(keyOf(kms).newSigner()).rejects.toThrow(new RegExp(`^KMS key ${kms.keyArn}: GetPublicKey failed: UnsupportedOperationException: .*not an asymmetric key$`));
    await expect(keyOf(kms, 'alias/nope').newSigner()).rejects.toThrow(/^KMS key alias\/nope: GetPublicKey failed: NotFoundException: Key 'alias\/nope' does not exist$/);
  });

  it('names the key and why when KMS denies a call, the key is disabled or is not a P-256 signing key, never the credentials', async () => {
    kms = await startKmsSimulator({ keySpec: 'RSA_2048' });
    await expect(keyOf(kms).newSigner()).rejects.toThrow(`KMS key ${kms.keyArn} is a RSA_2048 SIGN_VERIFY key: evidentia signs with an ECC_NIST_P256 SIGN_VERIFY key (ECDSA_SHA_256)`);
    await kms.close();

    kms = await startKmsSimulator();
    const arn = kms.keyArn.replace(/[/:]/g, '\\$&');
    const signer = await keyOf(kms).newSigner();
    kms.deny('Sign');
    const denied = (await signer.sign(Buffer.from('manifest')).catch((error: Error) => error)) as Error;
    expect(denied.message).toMatch(new RegExp(`^KMS key ${arn}: Sign failed: AccessDeniedException: User: \\S+ is not authorized to perform: kms:Sign on resource: ${arn}`));
    kms.disable();
    const disabled = (await keyOf(kms).newSigner().catch((error: Error) => error)) as Error;
    expect(disabled.message).toBe(`KMS key ${kms.keyArn}: GetPublicKey failed: DisabledException: ${kms.keyArn} is disabled.`);
    for (const message of [denied.message, disabled.message]) expect(message).not.toMatch(/test-secret|AKIDEXAMPLE/);
  });

  it('fails loudly when KMS cannot be reached', async () => {
    const gone = await startKmsSimulator();
    await gone.close();
    await expect(keyOf(gone).newSigner()).rejects.toThrow(/^KMS key arn:aws:kms:\S+: GetPublicKey failed: .*ECONNREFUSED/);
  });

  it('gives up on a KMS endpoint that takes the connection and never answers, rather than holding the run at its commit', async () => {
    const sockets: Socket[] = [];
    const silent = createServer((socket) => void sockets.push(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    try {
      const endpoint = `http://127.0.0.1:${(silent.address() as { port: number }).port}`;
      const key = new KmsKey({ keyId: 'alias/evidentia', region: 'us-east-1', endpoint }, { timeoutMs: 100 });
      await expect(key.newSigner()).rejects.toThrow(`KMS key alias/evidentia: GetPublicKey failed: no answer from ${endpoint} within 0.1 s`);
      expect(sockets.length).toBeGreaterThan(0);
    } finally {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => silent.close(resolve));
    }
  });
});
