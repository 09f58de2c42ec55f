/**
 * SlackClient.list, the real WebClient against a local server that answers
 * pages as Slack may: a page served twice, empty pages that point on to more,
 * and a cursor that never moves on (a real loop, which must fail naming it).
 */
import { afterEach, describe, expect, it } from '@jest/globals';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SlackClient } from './client.js';
import { UsersPage } from './schema.js';

type Answer = (cursor: string) => { ids: string[]; next: string };
let server: Server | undefined;
let asked: string[] = [];

async function serve(answer: Answer): Promise<SlackClient> {
  asked = [];
  server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const cursor = new URLSearchParams(Buffer.concat(chunks).toString()).get('cursor') ?? '';
      asked.push(cursor);
      const { ids, next } = answer(cursor);
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ ok: true, members: ids.map((id) => ({ id, name: id.toLowerCase() })), response_metadata: { next_cursor: next } }));
    });
  });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  const log = { debug() {}, info() {}, warn() {}, error() {} };
  return new SlackClient({ token: 'test-token-not-real', apiUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, fetch, log, sourcesOf: null });
}

afterEach(() => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())));

async function listIds(client: SlackClient): Promise<string[]> {
  const ids: string[] = [];
  for await (const { value } of client.list('users.list', { limit: 2 }, UsersPage, { items: (page) => page.members, key: (member) => member.id })) ids.push(value.id);
  return ids;
}

describe('SlackClient.list', () => {
  it('yields each item once when a page is served twice (the cursor points back to itself once)', async () => {
    let repeated = false;
    const client = await serve((cursor) => {
      if (cursor === '') return { ids: ['U1', 'U2'], next: 'c2' };
      if (cursor === 'c2') {
        const next = repeated ? 'c3' : 'c2';
        repeated = true;
        return { ids: ['U3', 'U4'], next };
      }
      return { ids: ['U5'], next: '' };
    });
    expect(await listIds(client)).toEqual(['U1', 'U2', 'U3', 'U4', 'U5']);
    expect(asked).toEqual(['', 'c2', 'c2', 'c3']);
  });

  it('follows empty pages that point on to new cursors, however many there are', async () => {
    const client = await serve((cursor) => {
      const step = cursor === '' ? 0 : Number(cursor.slice(1));
      if (step === 0) return { ids: ['U1'], next: 'e1' };
      if (step < 9) return { ids: [], next: `e${step + 1}` };
      return { ids: ['U2'], next: '' };
    });
    expect(await listIds(client)).toEqual(['U1', 'U2']);
    expect(asked).toHaveLength(10);
  });

  it('fails naming the cursor when pages keep coming back with nothing new', async () => {
    const client = await serve((cursor) => (cursor === '' ? { ids: ['U1', 'U2'], next: 'stuck' } : { ids: ['U2'], next: 'stuck' }));
    await expect(listIds(client)).rejects.toThrow('Slack API users.list: 5 pages in a row brought no new item; stopped at cursor "stuck"');
    expect(asked).toHaveLength(6);
  });

  it('fails when empty pages keep pointing to a cursor already followed', async () => {
    const client = await serve((cursor) => (cursor === '' ? { ids: ['U1'], next: 'again' } : { ids: [], next: 'again' }));
    await expect(listIds(client)).rejects.toThrow(/5 pages in a row brought no new item; stopped at cursor "again"/);
  });
});
