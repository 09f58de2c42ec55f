/**
 * The hand-built GitHub cassettes keep their promises: each parses as a
 * cassette, holds nothing that looks like a real credential, and every
 * pagination Link points at a request recorded later in the same cassette.
 */
import { readdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { BASE_URL_PLACEHOLDER, loadCassette, scanFixtureTree } from '@evidentia/testing';
import { fixturePath } from './test-support.js';

const directory = dirname(fixturePath('members.json'));
const names = readdirSync(directory).filter((name) => name.endsWith('.json'));

describe('connectors/github/fixtures', () => {
  it('holds the expected cassettes', () => {
    expect(names).toEqual(
      expect.arrayContaining(['members.json', 'members-502-burst.json', 'members-401.json', 'branch-protection.json', 'pull-requests.json', 'pull-requests-429.json', 'app-auth.json']),
    );
  });

  it('contains no real-looking secrets', async () => {
    expect(await scanFixtureTree(directory)).toEqual([]);
  });

  it.each(names)('%s: every Link rel="next" names a later interaction', async (name) => {
    const { interactions } = await loadCassette(fixturePath(name));
    interactions.forEach((interaction, index) => {
      const next = /<([^<>]+)>;\s*rel="next"/.exec(interaction.response.headers.link ?? '')?.[1];
      if (next === undefined) return;
      expect(next.startsWith(BASE_URL_PLACEHOLDER)).toBe(true);
      const path = next.slice(BASE_URL_PLACEHOLDER.length);
      expect(interactions.slice(index + 1).some((later) => later.request.path === path)).toBe(true);
    });
  });
});
