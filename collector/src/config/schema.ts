/**
 * The shape of evidentia.yaml. Connector-specific settings live under each
 * connector's `config` key and are validated by that connector's own schema
 * (see load.ts), so this file only knows the collector's own settings.
 */
import { z } from 'zod';
import { Category, ControlOverrides, FrameworkId } from '@evidentia/catalog';
import { AccessReviewSettings, RequestSettings } from '@evidentia/audit/settings';
// The settings alone: the portal's index loads fastify, which a command that only reads the config never needs.
import { PortalSettings } from '@evidentia/portal/settings';
import { secret } from '@evidentia/sdk';
import { CronSchedule } from '@evidentia/time';
import { WitnessEntry } from './witness-schema.js';

const criterionList = z.array(z.string().min(1)).describe('criteria IDs such as CC6.1, or a range such as CC6.1-CC6.3');

/**
 * A cron expression: 5 fields (minute hour day month weekday) or 6 with
 * seconds first. Read by the daemon's own parser here, so a schedule it could
 * not run is refused at load under the key where it was written, not later
 * under each stream it would have applied to. So is one that reads but never
 * fires (February 30): the daemon would start, collect the stream once and
 * then sit idle on it without a word, until coverage found the stream stale.
 */
const cronExpression = z
  .string()
  .superRefine((value, context) => {
    let schedule: CronSchedule;
    try {
      schedule = CronSchedule.parse(value);
    } catch (error) {
      context.addIssue({ code: 'custom', message: `${(error as Error).message} (expected a cron expression such as "0 2 * * *")` });
      return;
    }
    if (schedule.next(new Date()) === null) context.addIssue({ code: 'custom', message: 'never fires: no date in the next 9 years matches its day-of-month, month and day-of-week fields together' });
  })
  .describe('cron expression (node-cron syntax)');

/**
 * Each identifier of people.aliases (compared as checks compare them: trimmed,
 * case-insensitive) under one primary only: listed for two people, it ties
 * them into one, and every check then judges the two as the same person.
 */
function oneOwnerEach(aliases: Record<string, string[]>, context: z.RefinementCtx): void {
  const owners = new Map<string, string>();
  for (const [primary, others] of Object.entries(aliases)) {
    for (const [index, id] of [primary, ...others].entries()) {
      const key = id.trim().toLowerCase();
      const owner = owners.get(key);
      if (key === '' || owner === primary) continue;
      if (owner === undefined) owners.set(key, primary);
      else context.addIssue({ code: 'custom', path: index === 0 ? [primary] : [primary, index - 1], message: `"${id}" is also listed for ${owner}: an identifier names one person, and two people sharing one are judged as one` });
    }
  }
}

/**
 * A stream's time limit. A longer timer fires at once (Node.js sets it to
 * 1 ms): every stream would fail at its start.
 */
const streamTimeout = z.number().positive().max(2_147_483, 'at most 2147483 seconds (about 24 days), the longest a timer waits');

export const StreamSettings = z
  .object({
    enabled: z.boolean().default(true).describe('collect this stream'),
    controls: criterionList.optional().describe('criteria that replace the stream defaults'),
    schedule: cronExpression.optional().describe('when the daemon collects this stream (default: daily for state, hourly for event streams)'),
    maxStalenessHours: z.number().positive().optional().describe('state streams: longest interval without a successful snapshot before coverage shows a gap'),
  })
  .strict();

export const ConnectorEntry = z
  .object({
    type: z.string().optional().describe('built-in connector id; defaults to the entry name'),
    module: z.string().optional().describe('custom connector: a path (relative to this file) or a package name'),
    enabled: z.boolean().default(true),
    config: z.record(z.string(), z.unknown()).default({}).describe("the connector's own settings"),
    streams: z.record(z.string(), StreamSettings).default({}),
    requestBudget: z.number().int().positive().optional().describe('most requests one stream run may send'),
    streamTimeoutSeconds: streamTimeout.optional().describe("longest one of this connector's streams may run before it is stopped and recorded as failed"),
    doctorTimeoutSeconds: streamTimeout.optional().describe("longest this connector's doctor checks may run before they are stopped and reported as failed"),
    schedule: cronExpression.optional().describe("default schedule for this connector's streams"),
  })
  .strict()
  .refine((entry) => !(entry.type && entry.module), { message: 'give either type or module, not both' });

/** Where the private signing key is kept: never inside the locker, whose writers could otherwise re-sign it. */
export const SigningEntry = z
  .discriminatedUnion('type', [
    z
      .object({
        type: z.literal('file'),
        dir: z.string().min(1).optional().describe('directory of Ed25519 key files named <key id>.key (default ~/.config/evidentia/keys)'),
      })
      .strict(),
    z
      .object({
        type: z.literal('kms'),
        keyId: z.string().min(1).describe('AWS KMS key id, ARN or alias of an ECC_NIST_P256 SIGN_VERIFY key'),
        region: z.string().min(1).optional().describe('AWS region (default: the SDK\'s, e.g. AWS_REGION)'),
        endpoint: z.url().optional().describe('KMS endpoint override (VPC endpoints, tests)'),
      })
      .strict(),
  ])
  .describe('where the private signing key is kept (default: a key file outside the locker)');

export const ConfigFile = z
  .object({
    // Empty would resolve to this file's own folder: a locker made among the config and whatever sits beside it.
    locker: z.string().min(1, 'expected a directory path, such as ./locker').default('./locker').describe('evidence locker directory, relative to this file'),
    signing: SigningEntry.optional(),
    timezone: z.string().optional().describe('IANA time zone of audit periods, backfill dates and schedules (default UTC)'),
    collector: z
      .object({
        requestBudget: z.number().int().positive().default(50_000).describe('most requests one stream run may send'),
        // A longer timer fires at once (Node.js sets it to 1 ms) or throws: every request would time out.
        requestTimeoutSeconds: z.number().positive().max(2_147_483, 'at most 2147483 seconds (about 24 days), the longest a timer waits').default(60),
        // Hours, not minutes: a large organization's pull requests, read under rate limits, take long.
        streamTimeoutSeconds: streamTimeout.default(43_200).describe('longest one stream may run before it is stopped and recorded as failed (default 12 hours)'),
        // Minutes, not hours: doctor reads a few permissions, and someone is waiting at a terminal.
        doctorTimeoutSeconds: streamTimeout.default(300).describe("longest one connector's doctor checks may run before they are stopped and reported as failed (default 5 minutes)"),
      })
      .strict()
      .default({ requestBudget: 50_000, requestTimeoutSeconds: 60, streamTimeoutSeconds: 43_200, doctorTimeoutSeconds: 300 }),
    connectors: z.record(z.string().regex(/^[a-z][a-z0-9-]*$/, 'connector names are lower-case letters, digits and dashes'), ConnectorEntry),
    controls: ControlOverrides.default({}).describe('criteria per record kind or <connector>/<stream>, replacing the defaults'),
    daemon: z
      .object({
        timezone: z.string().optional().describe('alias of the top-level timezone (kept for older configs)'),
        health: z
          .object({
            enabled: z.boolean().default(false),
            host: z.string().default('127.0.0.1'),
            port: z.number().int().min(0).max(65535).default(9464),
          })
          .strict()
          .prefault({}),
      })
      .strict()
      .prefault({}),
    notifications: z
      .object({
        slack: z
          .object({
            token: secret().describe('bot token with chat:write'),
            channel: z.string().min(1).describe('channel id or name to post to'),
            apiUrl: z.url().optional().describe('Slack API root override (tests, proxies)'),
          })
          .strict()
          .optional(),
      })
      .strict()
      .prefault({}),
    witnesses: z.array(WitnessEntry).default([]).describe('where each sealed run\'s signed checkpoint is published (rollback detection)'),
    checks: z.record(z.string(), z.unknown()).default({}).describe('settings per check id (SLAs, thresholds), validated by each check'),
    frameworks: z.array(FrameworkId).default(['soc2']).describe('frameworks to report on through the SOC 2 mappings; soc2 is always included'),
    soc2: z
      .object({
        categories: z.array(Category).default(['security']).describe('Trust Services categories in scope; security is always included'),
      })
      .strict()
      .prefault({}),
    requests: RequestSettings.prefault({}),
    accessReviews: AccessReviewSettings.prefault({}),
    documents: z
      .object({
        maxFileMegabytes: z
          .number()
          .positive()
          .max(2047, 'at most 2047: a document is read whole, and Node.js reads at most 2 GiB at once')
          .default(25)
          .describe('largest file `evidence add` stores'),
        addedBy: z.string().trim().min(1).optional().describe('who adds documents from this config (default: the OS user; `--by` wins)'),
      })
      .strict()
      .prefault({}),
    exceptions: z
      .object({
        approver: z.string().trim().min(1).optional().describe('who approves accepted exceptions from this config (e.g. the CISO\'s email; `--approver` wins); without it, `exception accept` needs --approver'),
      })
      .strict()
      .prefault({}),
    portal: PortalSettings.prefault({}),
    people: z
      .object({
        aliases: z
          .record(z.string(), z.array(z.string()))
          .default({})
          .superRefine(oneOwnerEach)
          .describe('primary email → other emails or logins of the same person'),
      })
      .strict()
      .prefault({}),
  })
  .strict();

export type ConfigFile = z.infer<typeof ConfigFile>;
export type ConnectorEntry = z.infer<typeof ConnectorEntry>;
