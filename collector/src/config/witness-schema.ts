/**
 * The `witnesses:` list of evidentia.yaml: where each sealed run's signed
 * checkpoint is published, so a rolled-back locker is caught by `verify`.
 * No witness takes a secret in the config: S3 uses the AWS SDK's default
 * credential chain (environment, profile, instance role), git the user's own
 * git credentials, Slack the token of `notifications.slack`.
 */
import { z } from 'zod';

/** Object Lock retention when none is given: seven years, longer than any audit looks back. */
export const DEFAULT_RETAIN_DAYS = 2557;

const FileWitness = z
  .object({
    type: z.literal('file'),
    path: z.string().min(1).describe('append-only JSON-lines file, best on another volume or host (relative to this file)'),
  })
  .strict();

const S3Witness = z
  .object({
    type: z.literal('s3'),
    bucket: z.string().min(3).describe('bucket with Object Lock enabled (compliance mode)'),
    prefix: z.string().default('').describe('key prefix, e.g. evidentia/'),
    region: z.string().default('us-east-1'),
    endpoint: z.url().optional().describe('S3-compatible endpoint override (path-style addressing)'),
    retainDays: z.number().int().positive().default(DEFAULT_RETAIN_DAYS).describe('Object Lock retention of each checkpoint, in days'),
  })
  .strict();

const GitWitness = z
  .object({
    type: z.literal('git'),
    repository: z.string().min(1).describe('any repository git can push to (a path, ssh or https URL)'),
    branch: z.string().regex(/^[A-Za-z0-9._/-]+$/, 'expected a branch name').default('main'),
    path: z.string().regex(/^[^/.][^:]*$/, 'expected a path inside the repository').default('evidentia-checkpoints.jsonl'),
  })
  .strict();

const SlackWitness = z.object({ type: z.literal('slack') }).strict().describe('the checkpoint posted to notifications.slack (write-only)');

export const WitnessEntry = z.discriminatedUnion('type', [FileWitness, S3Witness, GitWitness, SlackWitness]);
export type WitnessEntry = z.infer<typeof WitnessEntry>;
