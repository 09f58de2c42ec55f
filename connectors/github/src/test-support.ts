/**
 * Shared by the connector's tests: where the recorded GitHub fixtures live,
 * a validated config pointing at the replay server, and cassette helpers for
 * tests that derive a variant of a recorded fixture.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Secret } from '@evidentia/sdk';
import type { CassetteInput } from '@evidentia/testing';
import { GitHubConfig } from './config.js';

/** The fake token every fixture run uses; it must never appear in a snapshot. */
export const TEST_TOKEN = 'test-token-not-real';

/** Absolute path of a cassette in connectors/github/fixtures. */
export function fixturePath(name: string): string {
  return fileURLToPath(new URL(`../fixtures/${name}`, import.meta.url));
}

/** A cassette from connectors/github/fixtures, parsed, to derive a variant from. */
export function loadFixture(name: string): CassetteInput {
  return JSON.parse(readFileSync(fixturePath(name), 'utf8')) as CassetteInput;
}

/** A config builder for runConnectorFixture: token auth against the replay server, validated by the real schema. */
export function tokenConfig(extra: Partial<Omit<GitHubConfig, 'baseUrl' | 'token'>> = {}): (baseUrl: string) => GitHubConfig {
  return (baseUrl) => GitHubConfig.parse({ org: 'acme-corp', token: new Secret(TEST_TOKEN, '${env:GITHUB_TOKEN}'), baseUrl, ...extra });
}
