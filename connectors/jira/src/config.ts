/**
 * The Jira connector's configuration: which site, how to authenticate (an
 * account's email and API token, or a bearer token), and for each of the three
 * streams the JQL that selects its tickets and the mapping from the site's
 * statuses and fields to evidence. Every mapping has a default, so a stream
 * left out of the config still runs. Objects are strict: a typo is a
 * configuration error, not a silently ignored key.
 */
import { z } from 'zod';
import { secret } from '@evidentia/sdk';

/** Statuses that mean "done" unless a stream's mapping says otherwise (compared without case). */
export const DEFAULT_DONE_STATUSES = ['Done', 'Deployed', 'Closed', 'Resolved', 'Completed'];

/** True when the JQL has its own ORDER BY (outside quoted strings): the connector appends the ordering itself. */
export function hasOrderBy(jql: string): boolean {
  return /\border\s+by\b/i.test(jql.replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'/g, '""'));
}

const jql = (fallback: string) =>
  z.string().trim().min(1).refine((value) => !hasOrderBy(value), 'leave ORDER BY out: the connector adds the range and the ordering itself').default(fallback);
/** A field named by id (`customfield_10050`, `priority`) or by its name on the site (`Approvers`). */
const fieldRef = z.string().trim().min(1);
const names = (fallback: string[]) => z.array(z.string().trim().min(1)).default(fallback);
const statuses = (fallback: string[]) => z.array(z.string().trim().min(1)).min(1).default(fallback);

export const ChangesMapping = z
  .object({
    jql: jql('issuetype = Change'),
    /** Entering one of these statuses is an approval by whoever moved the ticket. */
    approvedStatuses: statuses(['Approved']),
    /** A user or multi-user field naming the approvers. */
    approverField: fieldRef.optional(),
    /** Entering one of these statuses means deployed; the first such entry is `mergedAt`. */
    doneStatuses: statuses(DEFAULT_DONE_STATUSES),
    /** A checkbox, select, boolean or text field that flags emergency changes. */
    emergencyField: fieldRef.optional(),
    /** Values of `emergencyField` that mean "emergency" (compared without case; a boolean true always does). */
    emergencyValues: names(['yes', 'true', 'emergency']),
    /** Labels that mark an emergency change (compared without case). */
    emergencyLabels: names(['emergency']),
    /** Read each ticket's remote links for the pull requests it names (one more request per ticket). */
    developmentLinks: z.boolean().default(false),
  })
  .strict();

export const IncidentsMapping = z
  .object({
    jql: jql('issuetype = Incident'),
    /** The field holding the severity: `priority`, or a select field such as `Severity`. */
    severityField: fieldRef.default('priority'),
    /** A URL, text or rich-text field holding the post-mortem reference. */
    postMortemField: fieldRef.optional(),
    /** A linked issue of one of these types counts as the post-mortem. */
    postMortemIssueTypes: names(['Post-mortem', 'Postmortem', 'Post-incident review']),
    /** Entering one of these statuses resolves the incident; leaving them reopens it. */
    resolvedStatuses: statuses(DEFAULT_DONE_STATUSES),
  })
  .strict();

export const PersonnelMapping = z
  .object({
    jql: jql('project = HR AND issuetype in (Onboarding, Offboarding)'),
    /** The person joining or leaving: a text field holding an email address, or a user field. */
    personField: fieldRef.default('Employee email'),
    /** Optional text field with the person's name. */
    personNameField: fieldRef.optional(),
    /** The start date of a joiner or last day of a leaver: a date or date-time field. */
    effectiveDateField: fieldRef.default('duedate'),
    /** The field that says joiner, mover or leaver: the issue type, or a select field. */
    typeField: fieldRef.default('issuetype'),
    joinerValues: names(['Onboarding']),
    moverValues: names(['Transfer', 'Role change']),
    leaverValues: names(['Offboarding']),
    /** Entering one of these statuses completes the ticket (`completedAt`). */
    doneStatuses: statuses(DEFAULT_DONE_STATUSES),
  })
  .strict();

const httpUrl = z.url({ protocol: /^https?$/ });

export const JiraConfig = z
  .object({
    /** The site URL, scheme included, e.g. https://acme.atlassian.net. Links in records point here. */
    host: httpUrl,
    /** Where API requests go when not to `host`: https://api.atlassian.com/ex/jira/<cloudId> for OAuth and scoped tokens. */
    baseUrl: httpUrl.optional(),
    email: z.email().optional(),
    apiToken: secret().optional(),
    bearerToken: secret().optional(),
    streams: z
      .object({ changes: ChangesMapping.prefault({}), incidents: IncidentsMapping.prefault({}), personnel: PersonnelMapping.prefault({}) })
      .strict()
      .prefault({}),
  })
  .strict()
  .superRefine((config, issues) => {
    const basic = config.email !== undefined || config.apiToken !== undefined;
    if (basic && config.bearerToken !== undefined) issues.addIssue({ code: 'custom', path: ['bearerToken'], message: 'set either email and apiToken, or bearerToken, not both' });
    else if (basic && config.email === undefined) issues.addIssue({ code: 'custom', path: ['email'], message: 'apiToken needs the email of the account it belongs to' });
    else if (basic && config.apiToken === undefined) issues.addIssue({ code: 'custom', path: ['apiToken'], message: 'email needs an apiToken' });
    else if (!basic && config.bearerToken === undefined) issues.addIssue({ code: 'custom', path: ['apiToken'], message: 'one of email with apiToken, or bearerToken, is required' });
  });

export type JiraConfig = z.output<typeof JiraConfig>;
export type ChangesMapping = z.output<typeof ChangesMapping>;
export type IncidentsMapping = z.output<typeof IncidentsMapping>;
export type PersonnelMapping = z.output<typeof PersonnelMapping>;

const withoutSlash = (url: string) => url.replace(/\/+$/, '');

/** The site URL without a trailing slash, as records and error messages name it. */
export function siteUrl(config: Pick<JiraConfig, 'host'>): string {
  return withoutSlash(config.host);
}

/** The API root requests go to: `baseUrl`, else the site itself. */
export function apiBaseUrl(config: Pick<JiraConfig, 'host' | 'baseUrl'>): string {
  return withoutSlash(config.baseUrl ?? config.host);
}

/** The browser link of an issue. */
export function issueUrl(config: Pick<JiraConfig, 'host'>, key: string): string {
  return `${siteUrl(config)}/browse/${key}`;
}
