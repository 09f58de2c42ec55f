/**
 * Shared by the connector's tests: where the hand-built AWS fixtures live, a
 * validated config pointing every client at the replay server with static
 * test credentials (AWS's documented example key), cassette helpers for
 * tests that derive a variant of a fixture, and a run of the iam_users stream
 * for the tests that read its records.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { EvidenceRecord } from '@evidentia/evidence';
import { Secret } from '@evidentia/sdk';
import { runConnectorFixture, type CassetteInput } from '@evidentia/testing';
import { AwsConfig } from './config.js';
import { awsConnector } from './index.js';

/** AWS's documented example credentials: accepted by the fixture guard, useless anywhere else. */
export const TEST_ACCESS_KEY_ID = 'AKIAIOSFODNN7EXAMPLE';
export const TEST_SECRET_ACCESS_KEY = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';

export type Interaction = CassetteInput['interactions'][number];

/** Absolute path of a cassette in connectors/aws/fixtures. */
export function fixturePath(name: string): string {
  return fileURLToPath(new URL(`../fixtures/${name}`, import.meta.url));
}

/** A cassette from connectors/aws/fixtures, parsed, to derive a variant from. */
export function loadFixture(name: string): CassetteInput {
  return JSON.parse(readFileSync(fixturePath(name), 'utf8')) as CassetteInput;
}

/** A config builder for runConnectorFixture: one account in us-east-1 against the replay server, validated by the real schema. */
export function testConfig(extra: Record<string, unknown> = {}): (baseUrl: string) => AwsConfig {
  return (baseUrl) =>
    AwsConfig.parse({
      accounts: [{ alias: 'acme-prod' }],
      regions: ['us-east-1'],
      endpoint: baseUrl,
      credentials: { accessKeyId: new Secret(TEST_ACCESS_KEY_ID, '${env:AWS_ACCESS_KEY_ID}'), secretAccessKey: new Secret(TEST_SECRET_ACCESS_KEY, '${env:AWS_SECRET_ACCESS_KEY}') },
      ...extra,
    });
}

/** The request body of an interaction as text (form-encoded for IAM/STS, JSON for CloudTrail). */
export function bodyText(interaction: Interaction): string {
  const body = interaction.request.body;
  return typeof body === 'string' ? body : JSON.stringify(body ?? null);
}

/** The index of the first interaction whose request body contains `text`. */
export function indexOf(cassette: CassetteInput, text: string): number {
  const index = cassette.interactions.findIndex((interaction) => bodyText(interaction).includes(text));
  if (index < 0) throw new Error(`no interaction with ${text}`);
  return index;
}

/** The iam_users stream against one cassette (a file in connectors/aws/fixtures, or a derived variant). */
export const runIamUsers = (cassette: string | CassetteInput) =>
  runConnectorFixture({ connector: awsConnector, stream: 'iam_users', cassettes: [typeof cassette === 'string' ? fixturePath(cassette) : cassette], config: testConfig() });

/** The ARN of an IAM user of the fixtures' account. */
export const userArn = (name: string) => `arn:aws:iam::123456789012:user/${name}`;

/** The data of the record with `key`, or a failure naming the key. */
export function accountData(records: EvidenceRecord[], key: string): Record<string, unknown> {
  const record = records.find((r) => r.key === key);
  if (!record) throw new Error(`no record ${key}`);
  return record.data;
}
