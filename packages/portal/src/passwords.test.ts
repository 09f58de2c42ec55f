/** Portal passwords: scrypt hashes that verify only the password they were made from, with a salt of their own. */
import { describe, expect, it } from '@jest/globals';
import { DECOY_HASH, hashPassword, PASSWORD_HASH_PATTERN, verifyPassword } from './passwords.js';
import { PortalSettings } from './settings.js';

describe('portal passwords', () => {
  it('verify the password a hash was made from and nothing else', async () => {
    const hash = await hashPassword('correct horse battery staple');
    expect(hash).toMatch(PASSWORD_HASH_PATTERN);
    expect(hash).not.toContain('correct horse');
    expect(await verifyPassword('correct horse battery staple', hash)).toBe(true);
    expect(await verifyPassword('correct horse battery stapl', hash)).toBe(false);
    expect(await verifyPassword('', hash)).toBe(false);
  });

  it('salt every hash, so the same password hashes differently', async () => {
    const [first, second] = [await hashPassword('same'), await hashPassword('same')];
    expect(first).not.toBe(second);
    expect(await verifyPassword('same', second)).toBe(true);
  });

  it('refuse an altered or foreign hash without throwing', async () => {
    const hash = await hashPassword('pw');
    const parts = hash.split('$');
    const flipped = [...parts.slice(0, 5), `${parts[5]![0] === 'A' ? 'B' : 'A'}${parts[5]!.slice(1)}`].join('$');
    expect(await verifyPassword('pw', flipped)).toBe(false);
    expect(await verifyPassword('pw', parts.slice(0, 5).concat('A'.repeat(43)).join('$').replace('$8$', '$99999999$'))).toBe(false);
    expect(await verifyPassword('pw', 'pw')).toBe(false);
    expect(await verifyPassword('pw', `$2b$10$${'a'.repeat(53)}`)).toBe(false);
    expect(await verifyPassword('anything', DECOY_HASH)).toBe(false);
  });

  it('refuse an empty password when hashing', async () => {
    await expect(hashPassword('')).rejects.toThrow('the password is empty');
  });

  it('are the only thing the config accepts for a user', async () => {
    const hash = await hashPassword('pw');
    expect(PortalSettings.parse({ users: [{ name: 'ann', role: 'auditor', passwordHash: hash }] }).users[0]!.passwordHash).toBe(hash);
    const plain = PortalSettings.safeParse({ users: [{ name: 'ann', role: 'auditor', passwordHash: 'hunter2' }] });
    expect(plain.success).toBe(false);
    expect(JSON.stringify(plain.error?.issues)).toContain('evidentia serve hash-password');
    expect(PortalSettings.safeParse({ users: [{ name: 'ann', role: 'root', passwordHash: hash }] }).success).toBe(false);
    // A cost scrypt cannot run (the user could never sign in), or one that makes a guess cheap or a sign-in take gigabytes: refused at start.
    const costed = (n: number, r: number, p: number) => hash.replace('scrypt$32768$8$1$', `scrypt$${n}$${r}$${p}$`);
    const problems = (passwordHash: string) => PortalSettings.safeParse({ users: [{ name: 'ann', role: 'auditor', passwordHash }] }).error?.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    expect(problems(costed(1000, 8, 1))).toEqual(['users.0.passwordHash: scrypt N=1000 r=8 p=1: N must be a power of two from 16384 (2^14), r at least 1, p from 1 to 16, and 128·N·r at most 256 MiB']);
    expect(problems(costed(16, 8, 1))).toEqual([expect.stringMatching(/^users\.0\.passwordHash: scrypt N=16 r=8 p=1: /)]);
    expect(problems(costed(2 ** 24, 8, 1))).toEqual([expect.stringMatching(/^users\.0\.passwordHash: scrypt N=16777216 r=8 p=1: /)]);
    expect(problems(costed(2 ** 14, 8, 1))).toBeUndefined();
    expect(PortalSettings.safeParse({ users: [{ name: 'ann', role: 'team', passwordHash: hash }, { name: 'ann', role: 'admin', passwordHash: hash }] }).success).toBe(false);
  });
});
