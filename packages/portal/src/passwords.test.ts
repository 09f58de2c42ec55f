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
    expect(PortalSettings.safeParse({ users: [{ name: 'ann', role: 'team', passwordHash: hash }, { name: 'ann', role: 'admin', passwordHash: hash }] }).success).toBe(false);
  });
});
