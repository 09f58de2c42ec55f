/** An `access.account` record's data for tests: an active member with nothing else known. */
export const account = (login: string) => ({
  accountId: login,
  displayName: null,
  email: null,
  accountType: 'member',
  status: 'active' as const,
  privileged: false,
  roles: [],
  mfa: 'unknown' as const,
  createdAt: null,
  lastLoginAt: null,
  credentials: [],
  ssoIdentity: null,
});
