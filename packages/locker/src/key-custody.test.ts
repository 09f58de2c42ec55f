import { describe, it, expect, afterEach } from '@jest/globals';
import { chmodSync, cpSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync, mkdirSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateKeyPairSync, sign } from 'node:crypto';
import { canonicalJson } from '@evidentia/evidence';
import { initLocker, KeyDirectory, openLocker, parsePublicKey, ROTATION_FORMAT, signDocument, type KeyCustody, type Locker, type Signer } from './index.js';
import { IN_LOCKER_KEY } from './file-keys.js';
import { collect, createTestLocker, type TestLocker } from './test-locker.js';

let test: TestLocker | undefined;
const temp: string[] = [];
afterEach(async () => {
  await test?.cleanup();
  test = undefined;
  for (const dir of temp.splice(0)) await rm(dir, { recursive: true, force: true });
});

/** A key held in memory, as a KMS or HSM holds it (P-256 is what AWS KMS signs with). */
function memorySigner(type: 'ed25519' | 'p256'): Signer {
  const { privateKey, publicKey } = type === 'p256' ? generateKeyPairSync('ec', { namedCurve: 'P-256' }) : generateKeyPairSync('ed25519');
  return {
    publicKey: parsePublicKey(publicKey.export({ type: 'spki', format: 'pem' }).toString()),
    location: `memory ${type} key`,
    sign: async (message) => sign(type === 'p256' ? 'sha256' : null, message, privateKey),
  };
}

/** Custody of fixed signers; `answer` lets a test play an attacker whose custody hands out the wrong key. */
function memoryCustody(signers: Signer[], answer?: (keyId: string) => Signer | null): KeyCustody {
  let next = 0;
  return {
    location: 'memory',
    signerFor: async (keyId) => (answer ? answer(keyId) : (signers.find((signer) => signer.publicKey.keyId === keyId) ?? null)),
    newSigner: async () => signers[next++]!,
  };
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name));
}

async function lockerWith(custody: KeyCustody): Promise<{ dir: string; locker: Locker }> {
  const dir = await mkdtemp(join(tmpdir(), 'evidentia-custody-'));
  temp.push(dir);
  await initLocker(dir, { custody });
  return { dir, locker: await openLocker(dir, { custody }) };
}

/** A run written with `signer` whatever key the locker has in effect: someone with write access and some other key. */
/**
 * A run signed by `signer` by someone who can write the files: the locker
 * refuses a key the rotations do not end at, so for the write they make the
 * key files name theirs (no rotation, their key first), then put them back.
 */
async function collectSignedBy(dir: string, signer: Signer): Promise<void> {
  const keys = join(dir, 'keys');
  renameSync(keys, `${keys}.kept`);
  mkdirSync(keys);
  writeFileSync(join(keys, 'signing.pub'), signer.publicKey.pem);
  try {
    const locker = await openLocker(dir, { custody: memoryCustody([], () => signer) });
    try {
      await collect(locker, ['mallory']);
    } finally {
      await locker.close();
    }
  } finally {
    rmSync(keys, { recursive: true });
    renameSync(`${keys}.kept`, keys);
  }
}

const messages = async (locker: Locker, publicKey?: string) => (await locker.verify({ publicKey })).problems.map((problem) => problem.message);

describe('key custody', () => {
  it('keeps the private key outside the locker: a 0600 file named by its fingerprint in a 0700 directory', async () => {
    test = await createTestLocker();
    await collect(test.locker, ['alice']);
    const keyId = parsePublicKey(await test.locker.publicKey()).keyId;
    expect(filesUnder(test.dir).filter((file) => readFileSync(file).includes('PRIVATE KEY'))).toEqual([]);
    expect(readdirSync(join(test.dir, 'keys'))).toEqual(['signing.pub']);
    expect(statSync(join(test.keys.location, `${keyId}.key`)).mode & 0o777).toBe(0o600);
    expect(statSync(test.keys.location).mode & 0o777).toBe(0o700);
  });

  it('refuses a key file other users may read or write, one with a passphrase, a public key and one it cannot read, naming the path', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'evidentia-key-files-'));
    temp.push(dir);
    const keys = new KeyDirectory(dir);
    const { keyId } = (await keys.newSigner()).publicKey;
    const path = join(dir, `${keyId}.key`);
    chmodSync(path, 0o644);
    await expect(keys.signerFor(keyId)).rejects.toThrow(`${path} is open to other users (mode 0644): whoever can read it can re-sign the locker; chmod 600 ${path} (0440 for a group that must read it)`);
    chmodSync(path, 0o660);
    await expect(keys.signerFor(keyId)).rejects.toThrow(`${path} is open to other users (mode 0660)`);
    // Group-readable, as a Kubernetes secret mounted with defaultMode 0440 for the pod's fsGroup.
    chmodSync(path, 0o440);
    expect((await keys.signerFor(keyId))?.publicKey.keyId).toBe(keyId);

    const { privateKey, publicKey } = generateKeyPairSync('ed25519');
    const file = (name: string, text: string | Buffer) => {
      writeFileSync(join(dir, `${name}.key`), text, { mode: 0o600 });
      return join(dir, `${name}.key`);
    };
    const encrypted = file('encrypted', privateKey.export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: 'secret' }));
    await expect(keys.signerFor('encrypted')).rejects.toThrow(`${encrypted} is not a usable private key: it is encrypted with a passphrase, which evidentia is never given; keep it unencrypted (mode 0600, outside the locker) or sign with a KMS key`);
    const onlyPublic = file('public', publicKey.export({ type: 'spki', format: 'pem' }));
    await expect(keys.signerFor('public')).rejects.toThrow(`${onlyPublic} is not a usable private key: it holds a public key only`);
    const other = file('other', '-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjE=\n-----END OPENSSH PRIVATE KEY-----\n');
    await expect(keys.signerFor('other')).rejects.toThrow(new RegExp(`^${other.replace(/[.\\/]/g, '\\$&')} is not a usable private key: it is not a PKCS#8 PEM private key \\(as evidentia init writes\\): `));
  });

  it('a locker copy with only public keys verifies, but refuses to be written in one line naming the key', async () => {
    test = await createTestLocker();
    await collect(test.locker, ['alice']);
    const keyId = parsePublicKey(await test.locker.publicKey()).keyId;
    const readOnly = await openLocker(test.dir);
    try {
      expect(await readOnly.verify()).toMatchObject({ ok: true, notes: [] });
      const refusal = new RegExp(`^no private key for ${test.dir}'s signing key ${keyId} in ${join(test.dir, IN_LOCKER_KEY)}: this locker can be read and verified but not written \\(set signing: in the config\\)$`);
      await expect(readOnly.beginRun({ trigger: 'manual', collectorVersion: 'test', parameters: {} })).rejects.toThrow(refusal);
      await expect(readOnly.signDocument('evidentia.bundle-index/1', Buffer.from('{}'))).rejects.toThrow(refusal);
      await expect(readOnly.rotateKey()).rejects.toThrow(/needs a key custody/);
    } finally {
      await readOnly.close();
    }
    const elsewhere = await openLocker(test.dir, { custody: new KeyDirectory(join(test.dir, 'no-such-keys')) });
    await expect(elsewhere.beginRun({ trigger: 'manual', collectorVersion: 'test', parameters: {} })).rejects.toThrow(/no-such-keys or .*signing\.key: this locker can be read/);
    await elsewhere.close();
  });

  it('refuses to begin a run, before anything is written, when the key in effect cannot sign', async () => {
    const working = memorySigner('p256');
    const { dir, locker } = await lockerWith(memoryCustody([working]));
    const denied = await openLocker(dir, { custody: memoryCustody([], () => ({ ...working, sign: () => Promise.reject(new Error('AccessDeniedException: kms:Sign')) })) });
    try {
      await expect(denied.beginRun({ trigger: 'manual', collectorVersion: 'test', parameters: {} })).rejects.toThrow('AccessDeniedException: kms:Sign');
      expect(await denied.runs()).toEqual([]);
    } finally {
      await denied.close();
      await locker.close();
    }
  });

  it('signs with an ECDSA P-256 key held elsewhere, naming the algorithm in the manifest', async () => {
    const { locker } = await lockerWith(memoryCustody([memorySigner('p256')]));
    try {
      const manifest = await collect(locker, ['alice']);
      expect(manifest).toMatchObject({ keyAlgorithm: 'ecdsa-p256-sha256', keyId: parsePublicKey(await locker.publicKey()).keyId });
      expect(await locker.verify()).toMatchObject({ ok: true, counts: { manifests: 1 } });
    } finally {
      await locker.close();
    }
  });
});

describe('key rotation', () => {
  it('hands signing to a new key from the next manifest; verify pinned to the first key follows it', async () => {
    test = await createTestLocker();
    const first = await collect(test.locker, ['alice']);
    const root = await test.locker.publicKey();
    const rotation = await test.locker.rotateKey();
    expect(rotation).toMatchObject({ sequence: 1, from: first.keyId, effectiveFrom: 2, location: join(test.keys.location, `${rotation.to}.key`) });
    const second = await collect(test.locker, ['alice', 'bob']);
    await test.locker.importCatalogText({ framework: 'iso27001', entries: [{ id: 'A.5.1', text: 'Policies.' }], sourceName: 'x.csv', sourceSha256: 'a'.repeat(64) });
    expect(second.keyId).toBe(rotation.to);
    expect(readdirSync(join(test.dir, 'keys', 'rotations'))).toEqual(['000001.json']);
    expect(await messages(test.locker)).toEqual([]);
    expect(await messages(test.locker, root)).toEqual([]);
    // A second rotation, to an ECDSA key: verification accepts both algorithms along the chain.
    const p256 = memorySigner('p256');
    const custody = memoryCustody([p256]);
    const mixed = await openLocker(test.dir, { custody: { ...custody, signerFor: async (keyId) => (await custody.signerFor(keyId)) ?? test!.keys.signerFor(keyId) } });
    try {
      await mixed.rotateKey();
      expect((await collect(mixed, ['alice'])).keyAlgorithm).toBe('ecdsa-p256-sha256');
      expect(await messages(mixed, root)).toEqual([]);
    } finally {
      await mixed.close();
    }
  });

  it('fails a manifest signed by a key the pinned key does not reach, naming the key', async () => {
    test = await createTestLocker();
    const manifest = await collect(test.locker, ['alice']);
    const stranger = memorySigner('ed25519').publicKey;
    expect(await messages(test.locker, stranger.pem)).toEqual([
      expect.stringMatching(new RegExp(`^manifest 1 .*: signed with key ${manifest.keyId}, which no valid rotation from the trusted key ${stranger.keyId} reaches$`)),
    ]);
  });

  it('refuses a forged rotation (not signed by the key in effect) and every manifest its key signed', async () => {
    test = await createTestLocker();
    await collect(test.locker, ['alice']);
    const root = parsePublicKey(await test.locker.publicKey());
    const attacker = memorySigner('ed25519');
    const record = { format: ROTATION_FORMAT, sequence: 1, effectiveFrom: 2, rotatedAt: '2025-03-02T00:00:00.000Z', from: { keyId: root.keyId, algorithm: root.algorithm, publicKey: root.pem }, to: { keyId: attacker.publicKey.keyId, algorithm: 'ed25519', publicKey: attacker.publicKey.pem } };
    const signature = await signDocument(attacker, ROTATION_FORMAT, Buffer.from(canonicalJson(record), 'utf8'));
    mkdirSync(join(test.dir, 'keys', 'rotations'));
    writeFileSync(join(test.dir, 'keys', 'rotations', '000001.json'), JSON.stringify({ record, signatures: { from: signature, to: signature } }));
    await collectSignedBy(test.dir, attacker);
    expect(await messages(test.locker, root.pem)).toEqual([
      `key rotation keys/rotations/000001.json is not signed by the key it hands over from (${root.keyId}): keys it introduces are not trusted`,
      expect.stringMatching(new RegExp(`^manifest 2 .*: signed with key ${attacker.publicKey.keyId}, which no valid rotation from the trusted key ${root.keyId} reaches$`)),
    ]);
  });

  it('refuses a manifest the retired key signed after the hand-over', async () => {
    test = await createTestLocker();
    await collect(test.locker, ['alice']);
    const root = parsePublicKey(await test.locker.publicKey());
    const retired = (await test.keys.signerFor(root.keyId))!;
    const rotation = await test.locker.rotateKey();
    await collectSignedBy(test.dir, retired);
    expect(await messages(test.locker, root.pem)).toEqual([
      expect.stringMatching(new RegExp(`^manifest 2 .*: signed with key ${root.keyId}, but key ${rotation.to} signs from manifest 2 on$`)),
    ]);
  });

  it('refuses a manifest the retired key sealed after the hand-over at a sequence before it (a rolled-back head re-sealed)', async () => {
    test = await createTestLocker();
    await collect(test.locker, ['alice']);
    const root = parsePublicKey(await test.locker.publicKey());
    const retired = (await test.keys.signerFor(root.keyId))!;
    await test.locker.close();
    const backup = await mkdtemp(join(tmpdir(), 'evidentia-rolled-back-'));
    temp.push(backup);
    cpSync(test.dir, backup, { recursive: true });
    await test.reopen();
    await collect(test.locker, ['alice', 'bob']);
    const rotation = await test.locker.rotateKey();
    const rotatedAt = JSON.parse(readFileSync(join(test.dir, 'keys', 'rotations', '000001.json'), 'utf8')).record.rotatedAt as string;
    // Whoever kept the retired key restores the locker from before run 2 (the rotation kept) and seals another run 2 with it.
    cpSync(join(test.dir, 'keys'), join(backup, 'keys'), { recursive: true });
    await collectSignedBy(backup, retired);
    const rolledBack = await openLocker(backup);
    try {
      expect(await messages(rolledBack, root.pem)).toEqual([
        expect.stringMatching(new RegExp(`^manifest 2 .*: sealed at \\S+ with key ${root.keyId}, which was retired at ${rotatedAt.replace(/\./g, '\\.')} \\(handed over to key ${rotation.to} from manifest 3\\); a retired key seals nothing new$`)),
      ]);
    } finally {
      await rolledBack.close();
    }
    // The manifests it sealed before the hand-over still verify.
    expect(await messages(test.locker, root.pem)).toEqual([]);
  });

  it('refuses a run whose key was retired after it was chosen, storing nothing: its manifest would fail verify for good', async () => {
    test = await createTestLocker();
    await collect(test.locker, ['alice']);
    const retired = (await test.keys.signerFor(parsePublicKey(await test.locker.publicKey()).keyId))!;
    // A process that chose its key before another one's rotation took the writer lock, and holds it still.
    const stale = await openLocker(test.dir, { custody: memoryCustody([], () => retired) });
    try {
      const rotation = await test.locker.rotateKey();
      await expect(collect(stale, ['mallory'])).rejects.toThrow(`the locker's signing key was rotated from ${retired.publicKey.keyId} to ${rotation.to} before this write took the writer lock: nothing was stored, try again`);
    } finally {
      await stale.close();
    }
    expect((await test.locker.runs()).map((run) => run.status)).toEqual(['complete']);
    expect(await messages(test.locker)).toEqual([]);
  });

  it('refuses to make a key in a key directory inside the locker; one holding the key already is a verify note, and rotation there is refused', async () => {
    const dir = join(await mkdtemp(join(tmpdir(), 'evidentia-inside-')), 'locker');
    temp.push(join(dir, '..'));
    for (const inside of [join(dir, 'keys'), dir, join(dir, 'objects', '..', 'private')]) {
      await expect(initLocker(dir, { custody: new KeyDirectory(inside) })).rejects.toThrow(`the key directory ${inside} is inside the locker ${dir}: its private key would travel with every copy of the locker`);
    }
    expect(filesUnder(join(dir, '..'))).toEqual([]);
    // A sibling whose name starts with the locker's is outside it.
    const sibling = new KeyDirectory(`${dir}-keys`);
    await initLocker(dir, { custody: sibling });
    // A key moved into the locker (or a locker made before this was refused) keeps signing, and verify says so.
    const inside = new KeyDirectory(join(dir, 'private'));
    renameSync(sibling.location, inside.location);
    const locker = await openLocker(dir, { custody: inside });
    try {
      await collect(locker, ['alice']);
      const report = await locker.verify();
      expect([report.ok, report.notes]).toEqual([true, [expect.stringContaining(`the key directory ${inside.location} is inside the locker, so whoever can write the locker can re-sign it`)]]);
      await expect(locker.rotateKey()).rejects.toThrow(`the key directory ${inside.location} is inside the locker ${dir}`);
    } finally {
      await locker.close();
    }
  });

  it('moves a key that lived inside the locker out: verify says where it is until the rotation and the deletion', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'evidentia-legacy-'));
    const keys = new KeyDirectory(await mkdtemp(join(tmpdir(), 'evidentia-keys-')));
    temp.push(dir, keys.location);
    await initLocker(dir);
    const legacy = await openLocker(dir, { custody: keys });
    try {
      await collect(legacy, ['alice']);
      expect((await legacy.verify()).notes).toEqual([expect.stringContaining('the private signing key is inside the locker (keys/signing.key)')]);
      await legacy.rotateKey();
      rmSync(join(dir, IN_LOCKER_KEY));
      await collect(legacy, ['alice', 'bob']);
      expect(await legacy.verify()).toMatchObject({ ok: true, notes: [], counts: { manifests: 2 } });
    } finally {
      await legacy.close();
    }
  });
});
