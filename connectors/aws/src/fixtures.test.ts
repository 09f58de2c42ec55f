/**
 * The hand-built AWS cassettes keep their promises: each parses, holds
 * nothing that looks like a real credential (only AWS's EXAMPLE keys), and
 * demo.json is exactly the three stream cassettes of the demo account.
 */
import { readdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { loadCassette, scanFixtureTree } from '@evidentia/testing';
import { fixturePath } from './test-support.js';

const directory = dirname(fixturePath('demo.json'));
const names = readdirSync(directory).filter((name) => name.endsWith('.json'));

describe('connectors/aws/fixtures', () => {
  it('holds the expected cassettes', () => {
    expect(names.sort()).toEqual(['account-config.json', 'cloudtrail-events-throttling.json', 'cloudtrail-events.json', 'demo.json', 'iam-users-access-denied.json', 'iam-users.json']);
  });

  it('contains no real-looking secrets', async () => {
    expect(await scanFixtureTree(directory)).toEqual([]);
  });

  it.each(names)('%s parses as a cassette', async (name) => {
    expect((await loadCassette(fixturePath(name))).interactions.length).toBeGreaterThan(0);
  });

  it('demo.json is iam-users.json, account-config.json and cloudtrail-events.json in that order', async () => {
    const parts = await Promise.all(['iam-users.json', 'account-config.json', 'cloudtrail-events.json'].map((name) => loadCassette(fixturePath(name))));
    expect((await loadCassette(fixturePath('demo.json'))).interactions).toEqual(parts.flatMap((part) => part.interactions));
  });
});
