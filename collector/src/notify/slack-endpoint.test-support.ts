/**
 * A Slack-shaped endpoint for the notifier's tests: a node:http server on
 * 127.0.0.1 that records every request (path, authorization, form fields)
 * and answers from a script, then with a plain chat.postMessage success.
 */
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedPost {
  path: string;
  authorization: string | undefined;
  fields: Record<string, string>;
}

export interface ScriptedAnswer {
  status: number;
  headers?: Record<string, string>;
  body: unknown;
}

export interface SlackEndpoint {
  /** Use as the notifier's apiUrl. */
  apiUrl: string;
  posts: RecordedPost[];
  close(): Promise<void>;
}

const SUCCESS: ScriptedAnswer = { status: 200, body: { ok: true, channel: 'C0ALERTS01', ts: '1782864005.000100' } };

async function bodyOf(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

export async function startSlackEndpoint(script: ScriptedAnswer[] = []): Promise<SlackEndpoint> {
  const posts: RecordedPost[] = [];
  const queue = [...script];
  const server = createServer((request, response) => {
    void bodyOf(request).then((text) => {
      posts.push({ path: request.url ?? '', authorization: request.headers.authorization, fields: Object.fromEntries(new URLSearchParams(text)) });
      const answer = queue.shift() ?? SUCCESS;
      response.writeHead(answer.status, { 'content-type': 'application/json; charset=utf-8', ...answer.headers });
      response.end(JSON.stringify(answer.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    apiUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/api`,
    posts,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
