/**
 * The Slack connector's configuration: which workspace (checked against the
 * token at every run), the token, the API root, and how incident channels
 * are recognised (name pattern, resolved marker, severity, post-mortem link).
 * Patterns are regular expressions, compiled here once and matched without
 * case; an invalid one is a configuration error that names the field.
 */
import { z } from 'zod';
import { secret, ServiceAccountPatterns } from '@evidentia/sdk';

export const DEFAULT_API_URL = 'https://slack.com/api';

function validRegExp(source: string): boolean {
  try {
    new RegExp(source, 'i');
    return true;
  } catch {
    return false;
  }
}

/** A channel id as Slack writes it (public `C…`, private `G…`); anything else in `incidents.channels` is a name. */
const CHANNEL_ID = /^[CG][A-Z0-9]{8,}$/;
const channelRef = z
  .string()
  .regex(/^#?[a-z0-9][a-z0-9._-]{0,79}$|^[CG][A-Z0-9]{8,}$/, 'a channel name (inc-payments or #inc-payments) or a channel id (C0123ABCD)');

const pattern = (fallback: string) => z.string().min(1).refine(validRegExp, 'expected a valid regular expression').default(fallback);

export const IncidentSettings = z
  .object({
    /** Channel names that are incident channels. */
    channelPattern: pattern('^inc-'),
    /**
     * Incident channels named explicitly (names or ids), collected whether or
     * not they match the pattern. These are in scope: one the app cannot read
     * makes the stream partial; a channel that only matches the pattern is a
     * listed gap when the app was not invited to it.
     */
    channels: z.array(channelRef).default([]),
    /** A message matching this marks the incident resolved (the last such message counts). */
    resolvedPattern: pattern('\\b(resolved|mitigated)\\b'),
    /** Severity in the channel name, topic or purpose; a capture group, if any, is the value. */
    severityPattern: pattern('sev[0-9]'),
    /** A link whose URL or label matches this is the post-mortem (the earliest one counts). */
    postMortemPattern: pattern('post-?mortem|retrospective|incident[- ]review'),
    /** Characters of message text kept in timeline excerpts; 0 keeps none. */
    excerptLength: z.number().int().min(0).max(200).default(80),
  })
  .strict();

export const SlackConfig = z
  .object({
    /** The workspace: its team id (`T…`) or its subdomain (`acme` for acme.slack.com). Checked against the token. */
    workspace: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9-]*$/, 'a Slack team id (T…) or workspace subdomain'),
    /** A bot (xoxb-) or user (xoxp-) token, as a secret reference. */
    token: secret(),
    /** Web API root, e.g. https://slack.com/api (a proxy or the replay server in tests). */
    slackApiUrl: z.url({ protocol: /^https?$/ }).optional(),
    incidents: IncidentSettings.prefault({}),
    /** Integration users that are regular accounts: patterns over the user name, display name and email. Bots and app users are bots already. */
    serviceIdentities: ServiceAccountPatterns.optional(),
  })
  .strict();

export type SlackConfig = z.output<typeof SlackConfig>;
export type IncidentSettings = z.output<typeof IncidentSettings>;

/** The API root without a trailing slash. */
export function apiUrl(config: Pick<SlackConfig, 'slackApiUrl'>): string {
  return (config.slackApiUrl ?? DEFAULT_API_URL).replace(/\/+$/, '');
}

/** The incident settings with every pattern compiled (case-insensitive). */
export interface IncidentRules {
  channel: RegExp;
  /** Channels the configuration names (ids as given, names without `#`). */
  named: { ids: ReadonlySet<string>; names: ReadonlySet<string> };
  resolved: RegExp;
  severity: RegExp;
  postMortem: RegExp;
  excerptLength: number;
}

export function incidentRules(settings: IncidentSettings): IncidentRules {
  return {
    channel: new RegExp(settings.channelPattern, 'i'),
    named: {
      ids: new Set(settings.channels.filter((ref) => CHANNEL_ID.test(ref))),
      names: new Set(settings.channels.filter((ref) => !CHANNEL_ID.test(ref)).map((ref) => ref.replace(/^#/, ''))),
    },
    resolved: new RegExp(settings.resolvedPattern, 'i'),
    severity: new RegExp(settings.severityPattern, 'i'),
    postMortem: new RegExp(settings.postMortemPattern, 'i'),
    excerptLength: settings.excerptLength,
  };
}
