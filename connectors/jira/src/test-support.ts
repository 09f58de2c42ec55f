/**
 * Shared by the connector's tests: where the hand-built Jira cassettes live,
 * and validated configs that point the API at the replay server while links
 * keep naming the fake site https://acme.atlassian.net.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Secret } from '@evidentia/sdk';
import type { CassetteInput } from '@evidentia/testing';
import { JiraConfig } from './config.js';

/** The fake API token every fixture run uses; it must never appear in a snapshot. */
export const TEST_TOKEN = 'test-api-token-not-real';
export const SITE = 'https://acme.atlassian.net';

/** The mapping of the demo site (connectors/jira/fixtures/demo.json), as README.md shows it. */
export const DEMO_STREAMS = {
  changes: { jql: 'project = CHG AND issuetype = Change', approverField: 'Approvers', emergencyField: 'Emergency change' },
  incidents: { jql: 'project = INC AND issuetype = Incident', severityField: 'Severity', postMortemField: 'Post-mortem' },
  personnel: { personField: 'Employee email', personNameField: 'Employee name', effectiveDateField: 'Effective date' },
};

/** Absolute path of a cassette in connectors/jira/fixtures. */
export function fixturePath(name: string): string {
  return fileURLToPath(new URL(`../fixtures/${name}`, import.meta.url));
}

/** A cassette from connectors/jira/fixtures, parsed, to derive a variant from. */
export function loadFixture(name: string): CassetteInput {
  return JSON.parse(readFileSync(fixturePath(name), 'utf8')) as CassetteInput;
}

/** A config builder for runConnectorFixture: basic auth, the demo mapping with `streams` overrides, validated by the real schema. */
export function demoConfig(streams: Record<string, Record<string, unknown>> = {}): (baseUrl: string) => JiraConfig {
  const merged = Object.fromEntries(Object.entries(DEMO_STREAMS).map(([name, mapping]) => [name, { ...mapping, ...streams[name] }]));
  return (baseUrl) => JiraConfig.parse({ host: SITE, baseUrl, email: 'evidence-bot@example.com', apiToken: new Secret(TEST_TOKEN, '${env:JIRA_API_TOKEN}'), streams: merged });
}
