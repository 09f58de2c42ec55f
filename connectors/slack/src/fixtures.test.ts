/**
 * The hand-built Slack cassettes keep their promises: each parses, holds
 * nothing that looks like a real credential, and every next_cursor a page
 * hands out is asked for by a later request of the same method.
 */
import { readdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { loadCassette, scanFixtureTree } from '@evidentia/testing';
import { fixturePath } from './test-support.js';

const directory = dirname(fixturePath('users.json'));
const names = readdirSync(directory).filter((name) => name.endsWith('.json'));

describe('connectors/slack/fixtures', () => {
  it('holds the expected cassettes', () => {
    expect(names.sort()).toEqual(['demo.json', 'incident-channels.json', 'users-429.json', 'users-missing-scope.json', 'users.json']);
  });

  it('contains no real-looking secrets', async () => {
    expect(await scanFixtureTree(directory)).toEqual([]);
  });

  it.each(names)('%s: every next_cursor is requested later by the same method', async (name) => {
    const { interactions } = await loadCassette(fixturePath(name));
    interactions.forEach((interaction, index) => {
      const next = (interaction.response.body as { response_metadata?: { next_cursor?: string } } | null)?.response_metadata?.next_cursor;
      if (!next) return;
      const later = interactions.slice(index + 1).filter((i) => i.request.path === interaction.request.path);
      expect(later.some((i) => new URLSearchParams(String(i.request.body)).get('cursor') === next)).toBe(true);
    });
  });
});
