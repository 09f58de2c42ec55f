/**
 * A download the client cuts short is still a download someone started: the
 * portal's audit log records it (fastify's onResponse runs only for an answer
 * sent whole), saying it was not received whole, and records a whole answer
 * once. Through a real HTTP server and client on 127.0.0.1, with a body far
 * larger than the sockets' buffers so the server cannot have sent it all.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { get as httpGet } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import Fastify, { type FastifyInstance } from 'fastify';
import type { PortalLogInput } from '@evidentia/locker';
import { AuditLog, registerAuditLog } from './audit-log.js';

const events: PortalLogInput[] = [];
let app: FastifyInstance;
let base: string;

/** 256 MiB of CSV rows, made as they are read. */
const endless = () => {
  let sent = 0;
  return new Readable({
    read() {
      sent += 1;
      this.push(sent > 4096 ? null : Buffer.alloc(65_536, 'a,b\n'));
    },
  });
};

beforeAll(async () => {
  app = Fastify();
  app.decorateRequest('session', null);
  app.addHook('onRequest', async (request) => {
    request.session = { user: 'audrey', role: 'auditor', via: 'password' } as typeof request.session;
  });
  registerAuditLog(app, new AuditLog(async (batch) => events.push(...batch), () => {}, 1), [], 'evidentia_session');
  app.get('/big.csv', (_request, reply) => reply.type('text/csv').header('Content-Disposition', 'attachment; filename="big.csv"').send(endless()));
  app.get('/small.csv', (_request, reply) => reply.type('text/csv').header('Content-Disposition', 'attachment; filename="small.csv"').send('a,b\n'));
  app.get('/slow', async () => new Promise((resolve) => setTimeout(() => resolve('late'), 1_500)));
  await app.listen({ host: '127.0.0.1', port: 0 });
  base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
});
afterAll(async () => app.close());

/** GET `path` and close the connection after `afterBytes` of its body (0: as soon as the answer starts; null: before any answer). */
function cut(path: string, afterBytes: number | null): Promise<number> {
  return new Promise((resolve, reject) => {
    const request = httpGet(`${base}${path}`, (response) => {
      let received = 0;
      response.on('data', (chunk: Buffer) => {
        received += chunk.length;
        if (received >= (afterBytes ?? 0)) {
          request.destroy();
          resolve(received);
        }
      });
    });
    request.on('error', (error) => (afterBytes === null || request.destroyed ? undefined : reject(error)));
    if (afterBytes === null) setTimeout(() => (request.destroy(), resolve(0)), 200);
  });
}

async function eventFor(target: string): Promise<PortalLogInput[]> {
  for (let tries = 0; tries < 100 && !events.some((event) => event.target === target); tries++) await new Promise((resolve) => setTimeout(resolve, 50));
  await new Promise((resolve) => setTimeout(resolve, 100));
  return events.filter((event) => event.target === target);
}

describe('the audit log and answers not received whole', () => {
  it('records a download the client cut short, saying so', async () => {
    const received = await cut('/big.csv', 1);
    expect(received).toBeLessThan(256 * 1024 * 1024);
    const logged = await eventFor('/big.csv');
    expect(logged.map(({ action, user, role, outcome }) => ({ action, user, role, outcome }))).toEqual([
      { action: 'download', user: 'audrey', role: 'auditor', outcome: '200 cut short: the connection closed before the whole answer was sent' },
    ]);
  });

  it('records a page whose connection closed before any answer', async () => {
    await cut('/slow', null);
    const logged = await eventFor('/slow');
    expect(logged.map(({ action, outcome }) => [action, outcome])).toEqual([['view', 'no answer: the connection closed before one was sent']]);
  });

  it('records a whole download once, with its status', async () => {
    const response = await fetch(`${base}/small.csv`);
    expect(await response.text()).toBe('a,b\n');
    const logged = await eventFor('/small.csv');
    expect(logged.map(({ action, outcome }) => [action, outcome])).toEqual([['download', '200']]);
  });
});
