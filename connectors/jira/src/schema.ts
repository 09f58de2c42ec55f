/**
 * Zod schemas for every raw Jira Cloud REST v3 response the connector reads.
 * Responses are parsed here, at the edge, before anything else touches them:
 * a changed shape fails with the endpoint and the field named. Only what is
 * used is declared; the full body is kept as the snapshot anyway. Issue
 * `fields` stay a loose record: which of them matter depends on the mapping,
 * and field-values.ts reads each mapped value with its own schema.
 */
import { z } from 'zod';

/** Jira's timestamps: `2026-05-05T08:31:12.345+0000` (an offset without a colon). */
export const jiraTime = z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/, 'a Jira timestamp');

export const JiraUser = z.object({
  accountId: z.string(),
  emailAddress: z.string().optional(),
  displayName: z.string().optional(),
  /** `atlassian` (a person), `app` (an integration or automation), `customer` (Service Management). */
  accountType: z.string().optional(),
});
export type JiraUser = z.infer<typeof JiraUser>;

export const Myself = JiraUser.extend({
  /** The profile's time zone: JQL dates are read in it. */
  timeZone: z.string().min(1),
});
export type Myself = z.infer<typeof Myself>;

export const SiteField = z.object({
  id: z.string(),
  name: z.string(),
  custom: z.boolean().optional(),
  schema: z.object({ type: z.string(), items: z.string().optional(), custom: z.string().optional(), system: z.string().optional() }).optional(),
});
export type SiteField = z.infer<typeof SiteField>;
export const SiteFields = z.array(SiteField);

/**
 * One changed field in a changelog entry. Jira names the new value's text
 * `toString`, which an object without that own property inherits from
 * Object.prototype, so the raw item is copied into plain names first.
 */
export const HistoryItem = z.preprocess(
  (raw) => {
    if (raw === null || typeof raw !== 'object') return raw;
    const own = (name: string): unknown => (Object.hasOwn(raw, name) ? (raw as Record<string, unknown>)[name] : null);
    return { field: own('field'), fieldId: own('fieldId'), from: own('from'), fromText: own('fromString'), to: own('to'), toText: own('toString') };
  },
  z.object({
    field: z.string(),
    fieldId: z.string().nullable(),
    from: z.string().nullable(),
    fromText: z.string().nullable(),
    to: z.string().nullable(),
    toText: z.string().nullable(),
  }),
);
export type HistoryItem = z.infer<typeof HistoryItem>;

export const History = z.object({
  id: z.string(),
  /** Absent for changes made anonymously or by a deleted user. */
  author: JiraUser.nullish(),
  created: jiraTime,
  items: z.array(HistoryItem),
});
export type History = z.infer<typeof History>;

/** The changelog embedded by `expand=changelog`: only the most recent entries when `total` exceeds them. */
const EmbeddedChangelog = z.object({ startAt: z.number().int(), maxResults: z.number().int(), total: z.number().int(), histories: z.array(History) });

export const Issue = z.object({
  id: z.string(),
  key: z.string(),
  fields: z.record(z.string(), z.unknown()),
  /** Present because every search asks for `expand=changelog`; its absence is a schema error, not "no history". */
  changelog: EmbeddedChangelog,
});
export type Issue = z.infer<typeof Issue>;

export const SearchPage = z.object({
  issues: z.array(Issue),
  nextPageToken: z.string().nullish(),
  isLast: z.boolean().optional(),
});
export type SearchPage = z.infer<typeof SearchPage>;

export const ChangelogPage = z.object({
  startAt: z.number().int(),
  maxResults: z.number().int(),
  total: z.number().int(),
  isLast: z.boolean().optional(),
  values: z.array(History),
});
export type ChangelogPage = z.infer<typeof ChangelogPage>;

export const ApproximateCount = z.object({ count: z.number().int().nonnegative() });

export const MyPermissions = z.object({
  permissions: z.record(z.string(), z.object({ havePermission: z.boolean() })),
});

/** The body of Jira's 4xx answers. */
export const ErrorBody = z.object({
  errorMessages: z.array(z.string()).optional(),
  errors: z.record(z.string(), z.string()).optional(),
  message: z.string().optional(),
});

/** The fields every issue stream reads besides its mapped ones. */
export const BaseFields = z.object({
  summary: z.string().nullish(),
  status: z.object({ id: z.string(), name: z.string() }),
  created: jiraTime,
  resolutiondate: jiraTime.nullish(),
  reporter: JiraUser.nullish(),
  creator: JiraUser.nullish(),
  project: z.object({ key: z.string() }),
  issuetype: z.object({ name: z.string() }),
  labels: z.array(z.string()).nullish(),
  issuelinks: z
    .array(
      z.object({
        type: z.object({ name: z.string() }).optional(),
        inwardIssue: z.object({ key: z.string(), fields: z.object({ issuetype: z.object({ name: z.string() }).optional() }).optional() }).optional(),
        outwardIssue: z.object({ key: z.string(), fields: z.object({ issuetype: z.object({ name: z.string() }).optional() }).optional() }).optional(),
      }),
    )
    .nullish(),
});
export type BaseFields = z.infer<typeof BaseFields>;
export const BASE_FIELD_IDS = Object.keys(BaseFields.shape);

/** The resolution of a change ticket (read by the changes stream only): null while unresolved. */
export const Resolution = z.object({ name: z.string() }).nullish();

/** GET /rest/api/3/issue/{key}/remotelink: the links to other systems (a pull request among them) the ticket holds. */
export const RemoteLinks = z.array(z.object({ object: z.object({ url: z.string() }).optional() }));

/** Parse a response body, or throw an error that names the request and the offending field. */
export function parseResponse<S extends z.ZodType>(what: string, schema: S, body: unknown): z.output<S> {
  const result = schema.safeParse(body);
  if (result.success) return result.data;
  const issues = result.error.issues.slice(0, 3).map((issue) => `${issue.path.join('.') || '(body)'}: ${issue.message}`);
  throw new Error(`unexpected response shape from ${what}: ${issues.join('; ')}`);
}
