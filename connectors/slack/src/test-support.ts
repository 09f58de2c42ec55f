/**
 * Shared by the connector's tests: where the Slack cassettes live, a
 * validated config pointing at the replay server, and a loader for tests
 * that derive a variant of a recorded cassette.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Secret } from '@evidentia/sdk';
import type { CassetteInput } from '@evidentia/testing';
import { SlackConfig } from './config.js';

/** The fake token every fixture run uses; it must never appear in a snapshot. */
export const TEST_TOKEN = 'test-token-not-real';

/** Absolute path of a cassette in connectors/slack/fixtures. */
export function fixturePath(name: string): string {
  return fileURLToPath(new URL(`../fixtures/${name}`, import.meta.url));
}

/** A cassette from connectors/slack/fixtures, parsed, to derive a variant from. */
export function loadFixture(name: string): CassetteInput {
  return JSON.parse(readFileSync(fixturePath(name), 'utf8')) as CassetteInput;
}

/** A config builder for runConnectorFixture: workspace acme-example against the replay server, validated by the real schema. */
export function testConfig(extra: Record<string, unknown> = {}): (baseUrl: string) => SlackConfig {
  return (baseUrl) => SlackConfig.parse({ workspace: 'acme-example', token: new Secret(TEST_TOKEN, '${env:SLACK_TOKEN}'), slackApiUrl: baseUrl, ...extra });
}
