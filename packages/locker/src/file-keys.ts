/**
 * Ed25519 private keys in files. The default custody is a directory outside
 * the locker (0700) holding one file per key, named by its fingerprint
 * (`<keyId>.key`, 0600), so whoever can write the locker cannot re-sign it,
 * and a rotated locker finds each key by the id its records name. Lockers
 * created before key custody keep their key at keys/signing.key inside the
 * locker; it is still read (verify says where it lives and how to move it).
 */
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, realpathSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { createPrivateKey, createPublicKey, generateKeyPairSync, randomBytes, sign, type KeyObject } from 'node:crypto';
import { LockerError } from './errors.js';
import { parsePublicKey, type KeyCustody, type Signer } from './keys.js';

/** Where lockers made before key custody keep their private key. */
export const IN_LOCKER_KEY = join('keys', 'signing.key');

class FileSigner implements Signer {
  readonly publicKey;
  constructor(
    private readonly privateKey: KeyObject,
    readonly location: string,
  ) {
    this.publicKey = parsePublicKey(createPublicKey(privateKey).export({ type: 'spki', format: 'pem' }).toString());
  }

  async sign(message: Buffer): Promise<Buffer> {
    return sign(null, message, this.privateKey);
  }
}

/** Mode bits a key file must not have: any access for other users, or write for its group (a group may read it: a Kubernetes secret mounted 0440 for the pod's fsGroup). */
const OPEN_MODE_BITS = 0o027;

/** Why `bytes` are no key evidentia can sign with, in words (OpenSSL's own say `DECODER routines::unsupported`). */
function unusableKeyReason(bytes: Buffer, error: Error): string {
  const text = bytes.toString('latin1');
  if (/-----BEGIN ENCRYPTED PRIVATE KEY-----|Proc-Type: 4,ENCRYPTED/.test(text)) {
    return 'it is encrypted with a passphrase, which evidentia is never given; keep it unencrypted (mode 0600, outside the locker) or sign with a KMS key';
  }
  if (/-----BEGIN (RSA |EC )?PUBLIC KEY-----/.test(text)) return 'it holds a public key only';
  if (/DECODER routines/.test(error.message)) return `it is not a PKCS#8 PEM private key (as evidentia init writes): ${error.message}`;
  return error.message;
}

/**
 * The key in `path`, or null when there is no file; refused, naming the path,
 * when other users may read or change it (whoever reads it can re-sign the
 * locker) or when it is not a private key evidentia can use.
 */
export function readKeyFile(path: string): Signer | null {
  if (!existsSync(path)) return null;
  const mode = statSync(path).mode & 0o777;
  if (process.platform !== 'win32' && (mode & OPEN_MODE_BITS) !== 0) {
    throw new LockerError(`${path} is open to other users (mode 0${mode.toString(8)}): whoever can read it can re-sign the locker; chmod 600 ${path} (0440 for a group that must read it)`);
  }
  const bytes = readFileSync(path);
  try {
    return new FileSigner(createPrivateKey(bytes), path);
  } catch (error) {
    throw new LockerError(`${path} is not a usable private key: ${unusableKeyReason(bytes, error as Error)}`);
  }
}

/** A new Ed25519 key written to `path` (0600, parent 0700); an existing file is never replaced. */
export function createKeyFile(path: string, dir: string): Signer {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const { privateKey } = generateKeyPairSync('ed25519');
  writeFileSync(path, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600, flag: 'wx' });
  chmodSync(path, 0o600);
  return new FileSigner(privateKey, path);
}

/** Keys kept as `<dir>/<keyId>.key`. */
export class KeyDirectory implements KeyCustody {
  constructor(readonly location: string) {}

  async signerFor(keyId: string): Promise<Signer | null> {
    const signer = readKeyFile(join(this.location, `${keyId}.key`));
    if (signer && signer.publicKey.keyId !== keyId) throw new LockerError(`${signer.location} holds key ${signer.publicKey.keyId}, not the key its name says`);
    return signer;
  }

  async newSigner(): Promise<Signer> {
    // Named by its fingerprint, which is known only once it exists: written under a temporary name, then renamed.
    const pending = join(this.location, `.new-${randomBytes(6).toString('hex')}.key`);
    const signer = createKeyFile(pending, this.location);
    const path = join(this.location, `${signer.publicKey.keyId}.key`);
    renameSync(pending, path);
    return readKeyFile(path)!;
  }
}

/** The legacy layout: the private key inside the locker (still what a locker built in code without custody gets). */
export class InLockerKey implements KeyCustody {
  readonly location: string;
  constructor(lockerDir: string) {
    this.location = join(lockerDir, IN_LOCKER_KEY);
  }

  async signerFor(keyId: string): Promise<Signer | null> {
    const signer = readKeyFile(this.location);
    return signer?.publicKey.keyId === keyId ? signer : null;
  }

  async newSigner(): Promise<Signer> {
    return readKeyFile(this.location) ?? createKeyFile(this.location, join(this.location, '..'));
  }
}

/** `path` with symbolic links resolved as far as it exists (a key directory not made yet, a locker not created yet). */
function realPathOf(path: string): string {
  const absolute = resolve(path);
  if (existsSync(absolute)) return realpathSync(absolute);
  const parent = dirname(absolute);
  return parent === absolute ? absolute : join(realPathOf(parent), basename(absolute));
}

/**
 * Whether `custody` is a key directory in `lockerDir` or below it: its
 * private keys would then travel with every copy of the locker, and whoever
 * can write the locker could re-sign it, which keeping the key outside is for.
 */
export function keysInsideLocker(lockerDir: string, custody: KeyCustody | undefined): boolean {
  if (!(custody instanceof KeyDirectory)) return false;
  const path = relative(realPathOf(lockerDir), realPathOf(custody.location));
  return path === '' || (path !== '..' && !path.startsWith(`..${sep}`) && !isAbsolute(path));
}

/** The refusal to make a key there. */
export function keysInsideLockerError(lockerDir: string, custody: KeyCustody): LockerError {
  return new LockerError(
    `the key directory ${custody.location} is inside the locker ${lockerDir}: its private key would travel with every copy of the locker and whoever can write the locker could re-sign it; keep it outside (signing: dir in the config, or EVIDENTIA_KEYS_DIR)`,
  );
}

/** Whether that key directory already holds a private key file. */
export function holdsKeyFiles(custody: KeyCustody): boolean {
  return existsSync(custody.location) && readdirSync(custody.location).some((name) => name.endsWith('.key'));
}
