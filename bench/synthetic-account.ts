/** The synthetic access.account record the locker and bundle benchmarks write by the hundred thousand. */
import type { EvidenceRecord } from '@evidentia/evidence';

/** Account number `index`, resting on the snapshot `source`; every tenth gets an access key when `withKeys`. */
export function syntheticAccount(index: number, source: string, options: { withKeys?: boolean } = {}): EvidenceRecord {
  const login = `user-${index}`;
  const keyed = options.withKeys === true && index % 10 === 0;
  return {
    kind: 'access.account',
    key: `user:${login}`,
    system: 'bench:synthetic',
    stream: 'bench/members',
    occurredAt: null,
    data: {
      accountId: login,
      displayName: `User ${index}`,
      email: `${login}@example.com`,
      accountType: 'member',
      status: 'active',
      privileged: index % 50 === 0,
      roles: [index % 50 === 0 ? 'admin' : 'member'],
      mfa: index % 17 === 0 ? 'disabled' : 'enabled',
      createdAt: '2025-01-01T00:00:00Z',
      lastLoginAt: null,
      credentials: keyed ? [{ id: 'key-1', type: 'access_key', status: 'active', createdAt: '2026-01-10T00:00:00Z', lastUsedAt: '2026-03-01T00:00:00Z' }] : [],
      ssoIdentity: null,
    },
    sources: [source],
    controls: ['CC6.1', 'CC6.2', 'CC6.3'],
  };
}
