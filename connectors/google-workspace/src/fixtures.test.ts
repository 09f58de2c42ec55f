/**
 * The hand-built Google Workspace cassettes keep their promises: each parses
 * as a cassette, holds nothing that looks like a real credential, and every
 * nextPageToken is asked for by a later interaction of the same cassette.
 */
import { readdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { loadCassette, scanFixtureTree } from '@evidentia/testing';
import { fixturePath } from './test-support.js';

const directory = dirname(fixturePath('users.json'));
const names = readdirSync(directory).filter((name) => name.endsWith('.json'));

describe('connectors/google-workspace/fixtures', () => {
  it('holds the expected cassettes', () => {
    expect(names).toEqual(expect.arrayContaining(['users.json', 'users-429.json', 'admin-roles.json', 'user-lifecycle.json', 'service-account-token.json', 'demo.json']));
  });

  it('contains no real-looking secrets', async () => {
    expect(await scanFixtureTree(directory)).toEqual([]);
  });

  it.each(names)('%s: every nextPageToken is requested later in the cassette', async (name) => {
    const { interactions } = await loadCassette(fixturePath(name));
    interactions.forEach((interaction, index) => {
      const body = interaction.response.body as { nextPageToken?: string } | null;
      if (typeof body?.nextPageToken !== 'string') return;
      const later = interactions.slice(index + 1).map((i) => new URLSearchParams(i.request.path.split('?')[1] ?? '').get('pageToken'));
      expect(later).toContain(body.nextPageToken);
    });
  });
});
