import { describe, it, expect } from '@jest/globals';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CASSETTE_FORMAT, CassetteError, loadCassette, parseCassette } from './index.js';

async function fixtureFile(content: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'evidentia-cassette-'));
  const file = join(dir, 'members.json');
  await writeFile(file, content);
  return file;
}

describe('loadCassette', () => {
  it('loads a valid cassette and fills in the optional parts', async () => {
    const file = await fixtureFile(
      JSON.stringify({ format: CASSETTE_FORMAT, description: 'members', interactions: [{ request: { method: 'GET', path: '/m' }, response: { status: 204 } }] }),
    );
    expect(await loadCassette(file)).toEqual({
      format: CASSETTE_FORMAT,
      description: 'members',
      interactions: [{ request: { method: 'GET', path: '/m', body: null }, response: { status: 204, headers: {}, body: null } }],
    });
  });

  it('names the file and the field path of an invalid interaction', async () => {
    const file = await fixtureFile(
      JSON.stringify({ format: CASSETTE_FORMAT, description: 'members', interactions: [{ request: { method: 'GET', path: '/m' }, response: { status: '200' } }] }),
    );
    const failure = loadCassette(file);
    await expect(failure).rejects.toThrow(CassetteError);
    await expect(loadCassette(file)).rejects.toThrow(new RegExp(`${file}: invalid cassette: interactions\\.0\\.response\\.status`));
  });

  it('refuses unknown fields in requests and responses, so a typo is not silently ignored', () => {
    const cassette = { format: CASSETTE_FORMAT, description: 'd', interactions: [{ request: { method: 'GET', path: '/m' }, response: { status: 200, delay_ms: 5 } }] };
    expect(() => parseCassette(cassette, 'inline')).toThrow(/inline: invalid cassette: interactions\.0\.response: .*delay_ms/);
  });

  it('refuses a delay longer than a timer can wait, which Node would cut to 1 ms', () => {
    const slow = { format: CASSETTE_FORMAT, description: 'd', interactions: [{ request: { method: 'GET', path: '/m' }, response: { status: 200, delayMs: 3_000_000_000 } }] };
    expect(() => parseCassette(slow, 'x.json')).toThrow(/x\.json: invalid cassette: interactions\.0\.response\.delayMs: /);
  });

  it('refuses another format and a path without a leading slash', () => {
    expect(() => parseCassette({ format: 'vcr/2', description: 'd', interactions: [] }, 'x.json')).toThrow(/x\.json: invalid cassette: format/);
    const relative = { format: CASSETTE_FORMAT, description: 'd', interactions: [{ request: { method: 'GET', path: 'm' }, response: { status: 200 } }] };
    expect(() => parseCassette(relative, 'x.json')).toThrow(/interactions\.0\.request\.path/);
  });

  it('names the file when it is not JSON', async () => {
    const file = await fixtureFile('{ "format": ');
    await expect(loadCassette(file)).rejects.toThrow(`${file}: not valid JSON`);
  });

  it('says which cassette cannot be read, as a CassetteError the CLI reports as such', async () => {
    const file = await fixtureFile('{}');
    const missing = join(file, '..', 'nope.json');
    await expect(loadCassette(missing)).rejects.toThrow(CassetteError);
    await expect(loadCassette(missing)).rejects.toThrow(`${missing}: cannot read the cassette: ENOENT`);
    const folder = join(file, '..');
    await expect(loadCassette(folder)).rejects.toThrow(`${folder}: cannot read the cassette: `);
  });
});
