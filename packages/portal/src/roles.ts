/** The portal's roles: admin and team see any period; an auditor only their audit periods. */
export const ROLES = ['admin', 'team', 'auditor'] as const;
export type Role = (typeof ROLES)[number];
