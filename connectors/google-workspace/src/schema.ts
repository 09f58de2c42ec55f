/**
 * Zod schemas for every raw Admin SDK response the connector reads (Directory
 * API users, roles and role assignments; Reports API activities; the OAuth
 * token endpoint; Google's error body). Responses are parsed here, at the
 * edge: a changed shape fails with the request and field named. Only the
 * fields we use are declared; the full body is kept as the snapshot anyway.
 * List envelopes become `{ items, nextPageToken }`: Google leaves the item
 * array out entirely when a page is empty.
 */
import { z } from 'zod';

const isoTime = z.string().regex(/^\d{4}-\d{2}-\d{2}T/, 'an ISO 8601 timestamp');

export const User = z.object({
  id: z.string().min(1),
  primaryEmail: z.string().min(1),
  name: z.object({ fullName: z.string().optional(), givenName: z.string().optional(), familyName: z.string().optional() }).optional(),
  isAdmin: z.boolean().optional(),
  isDelegatedAdmin: z.boolean().optional(),
  isEnrolledIn2Sv: z.boolean().optional(),
  isEnforcedIn2Sv: z.boolean().optional(),
  suspended: z.boolean().optional(),
  suspensionReason: z.string().optional(),
  archived: z.boolean().optional(),
  creationTime: isoTime.optional(),
  lastLoginTime: isoTime.optional(),
  deletionTime: isoTime.optional(),
  orgUnitPath: z.string().optional(),
  aliases: z.array(z.string()).optional(),
});
export type User = z.infer<typeof User>;

export const Role = z.object({
  roleId: z.string().min(1),
  roleName: z.string(),
  isSuperAdminRole: z.boolean().optional(),
  isSystemRole: z.boolean().optional(),
});
export type Role = z.infer<typeof Role>;

export const RoleAssignment = z.object({
  roleAssignmentId: z.string().min(1),
  roleId: z.string().min(1),
  assignedTo: z.string().min(1),
  /** `user` or `group`; older responses leave it out for users. */
  assigneeType: z.string().optional(),
  scopeType: z.string(),
  orgUnitId: z.string().optional(),
});
export type RoleAssignment = z.infer<typeof RoleAssignment>;

const Parameter = z.object({
  name: z.string(),
  value: z.string().optional(),
  multiValue: z.array(z.string()).optional(),
});

export const Activity = z.object({
  id: z.object({ time: isoTime, uniqueQualifier: z.string().min(1), applicationName: z.string() }),
  actor: z.object({ email: z.string().optional(), profileId: z.string().optional(), callerType: z.string().optional() }).optional(),
  ipAddress: z.string().optional(),
  events: z.array(z.object({ type: z.string().optional(), name: z.string(), parameters: z.array(Parameter).optional() })),
});
export type Activity = z.infer<typeof Activity>;
export type ActivityEvent = Activity['events'][number];

/** A parsed list page. */
export interface ListPage<T> {
  items: T[];
  nextPageToken: string | undefined;
}

const pageToken = z.string().optional();
const page = <T>(items: T[] | undefined, token: string | undefined): ListPage<T> => ({ items: items ?? [], nextPageToken: token || undefined });

export const UsersPage = z.object({ users: z.array(User).optional(), nextPageToken: pageToken }).transform((p) => page(p.users, p.nextPageToken));
export const RolesPage = z.object({ items: z.array(Role).optional(), nextPageToken: pageToken }).transform((p) => page(p.items, p.nextPageToken));
export const RoleAssignmentsPage = z.object({ items: z.array(RoleAssignment).optional(), nextPageToken: pageToken }).transform((p) => page(p.items, p.nextPageToken));
export const ActivitiesPage = z.object({ items: z.array(Activity).optional(), nextPageToken: pageToken }).transform((p) => page(p.items, p.nextPageToken));

export const TokenResponse = z.object({ access_token: z.string().min(1), token_type: z.string().optional(), expires_in: z.number().optional() });

/** The OAuth token endpoint's error body. */
export const OAuthError = z.object({ error: z.string(), error_description: z.string().optional() });

/** Google's JSON error body (https://cloud.google.com/apis/design/errors). */
export const GoogleErrorBody = z.object({
  error: z.object({
    code: z.number().optional(),
    message: z.string(),
    status: z.string().optional(),
    errors: z.array(z.object({ reason: z.string().optional(), message: z.string().optional() })).optional(),
    details: z.array(z.object({ reason: z.string().optional() }).loose()).optional(),
  }),
});

/** Parse a response body, or throw an error that names the request and the offending field. */
export function parseResponse<S extends z.ZodType>(what: string, schema: S, body: unknown): z.output<S> {
  const result = schema.safeParse(body);
  if (result.success) return result.data;
  const issues = result.error.issues.slice(0, 3).map((issue) => `${issue.path.join('.') || '(body)'}: ${issue.message}`);
  throw new Error(`unexpected response shape from ${what}: ${issues.join('; ')}`);
}
