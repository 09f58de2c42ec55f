/**
 * A simulated Slack Web API on 127.0.0.1 that the real @slack/web-api
 * WebClient talks to (`slackApiUrl`), serving a SlackWorkspace that tests
 * change between runs. It answers the methods the connector calls the way
 * Slack does: form-encoded POSTs, `{ok:false, error}` with HTTP 200, keyset
 * cursors (`response_metadata.next_cursor`, opaque base64 of the last key),
 * pages smaller than the requested `limit`, and a conversations.list that
 * scans a block of channels per page and then drops the ones the app may not
 * see, so a page can be empty while more follow. Slack's Web API sends no
 * ETag and answers no conditional request; neither does the simulator.
 *
 * Faults a test can inject, each once: a page whose next cursor points back
 * to itself (the page is served twice), a change to the workspace while a
 * list is being read (a shifted page), a 429 with Retry-After.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { SimChannel, SimMessage, SlackWorkspace } from './simulator-workspace.js';

export type ListMethod = 'users.list' | 'conversations.list' | 'conversations.history' | 'conversations.members';

export interface SimulatorOptions {
  workspace: SlackWorkspace;
  /** The token the app holds; any other is `invalid_auth`. */
  token: string;
  /** Most items per page, whatever `limit` asks (Slack may return fewer than asked). */
  pageCaps?: Partial<Record<ListMethod, number>>;
  /** Scopes reported in x-oauth-scopes. */
  scopes?: string[];
}

export interface SimRequest {
  method: string;
  params: Record<string, string>;
  status: number;
}

export interface SlackSimulator {
  /** The API root to configure as `slackApiUrl`. */
  url: string;
  /** Every request served, in order. */
  readonly requests: SimRequest[];
  /** On the next listing of `method`, its page `page` (1-based) names its own cursor as the next one, so it is served twice. */
  repeatPage(method: ListMethod, page?: number): void;
  /** On the next listing of `method`, run `change` right after page `page` is served (items inserted or removed while paging). */
  changeAfterPage(method: ListMethod, page: number, change: () => void): void;
  /** The next call of `method` answers 429 with Retry-After. */
  rateLimitOnce(method: string, retryAfterSeconds?: number): void;
  close(): Promise<void>;
}

const DEFAULT_CAPS: Record<ListMethod, number> = { 'users.list': 100, 'conversations.list': 100, 'conversations.history': 50, 'conversations.members': 20 };
const DEFAULT_SCOPES = ['users:read', 'users:read.email', 'channels:read', 'groups:read', 'channels:history', 'groups:history'];

const encodeCursor = (key: string) => Buffer.from(`key:${key}`).toString('base64');
function decodeCursor(cursor: string): string {
  const text = Buffer.from(cursor, 'base64').toString('utf8');
  if (!text.startsWith('key:')) throw new Error('invalid_cursor');
  return text.slice(4);
}
const micros = (ts: string) => BigInt(ts.includes('.') ? ts.replace(/\.(\d*)$/, (_m, f: string) => f.padEnd(6, '0').slice(0, 6)) : `${ts}000000`);

class SlackError extends Error {
  constructor(readonly code: string) {
    super(code);
  }
}

interface PageFault {
  page: number;
  run(): void;
}

/** Keyset paging over items sorted by `key`: those after the cursor's key, at most `size`, scanned; `visible` filters after the scan. */
function keysetPage<T>(items: T[], key: (item: T) => string, after: (a: string, b: string) => boolean, cursor: string | undefined, size: number, visible: (item: T) => boolean = () => true) {
  const from = cursor ? decodeCursor(cursor) : null;
  const remaining = from === null ? items : items.filter((item) => after(key(item), from));
  const scanned = remaining.slice(0, size);
  const more = remaining.length > size;
  return { items: scanned.filter(visible), next: more ? encodeCursor(key(scanned[scanned.length - 1]!)) : '' };
}

const ascending = (a: string, b: string) => a > b;

export async function startSlackSimulator(options: SimulatorOptions): Promise<SlackSimulator> {
  const ws = options.workspace;
  const caps = { ...DEFAULT_CAPS, ...options.pageCaps };
  const requests: SimRequest[] = [];
  const pageOf = new Map<string, number>();
  const repeats = new Map<ListMethod, number>();
  const changes = new Map<ListMethod, PageFault>();
  const rateLimits = new Map<string, number>();

  const size = (method: ListMethod, params: Record<string, string>) => Math.min(Number(params.limit ?? '100') || 100, caps[method]);
  const readable = (channel: SimChannel) => !channel.is_private || ws.botIn(channel);
  const channelFor = (params: Record<string, string>, needsMembership: boolean): SimChannel => {
    const channel = ws.channels.get(params.channel ?? '');
    if (!channel || !readable(channel)) throw new SlackError('channel_not_found');
    if (needsMembership && !ws.botIn(channel)) throw new SlackError('not_in_channel');
    return channel;
  };

  const lists: Record<ListMethod, (params: Record<string, string>) => { items: unknown[]; next: string; field: string; extra?: Record<string, unknown> }> = {
    'users.list': (params) => {
      const users = [...ws.users.values()].sort((a, b) => (a.id < b.id ? -1 : 1));
      return { ...keysetPage(users, (u) => u.id, ascending, params.cursor, size('users.list', params)), field: 'members' };
    },
    'conversations.list': (params) => {
      const types = (params.types ?? 'public_channel').split(',');
      const all = [...ws.channels.values()].sort((a, b) => (a.id < b.id ? -1 : 1));
      const wanted = (c: SimChannel) => types.includes(c.is_private ? 'private_channel' : 'public_channel') && readable(c) && (params.exclude_archived !== 'true' || !c.is_archived);
      const page = keysetPage(all, (c) => c.id, ascending, params.cursor, size('conversations.list', params), wanted);
      const items = (page.items as SimChannel[]).map(({ id, name, created, creator, is_private, is_archived, purpose, topic }) => ({ id, name, created, creator, is_private, is_archived, is_channel: !is_private, topic: { value: topic }, purpose: { value: purpose } }));
      return { items, next: page.next, field: 'channels' };
    },
    'conversations.history': (params) => {
      const channel = channelFor(params, true);
      const oldest = params.oldest ? micros(params.oldest) : -1n;
      const latest = params.latest ? micros(params.latest) : null;
      const inclusive = params.inclusive === 'true' || params.inclusive === '1';
      const inside = (m: SimMessage) => {
        const ts = micros(m.ts);
        return (inclusive ? ts >= oldest : ts > oldest) && (latest === null || (inclusive ? ts <= latest : ts < latest));
      };
      const newestFirst = channel.messages.filter(inside).reverse();
      const page = keysetPage(newestFirst, (m) => m.ts, (a, b) => micros(a) < micros(b), params.cursor, size('conversations.history', params));
      return { items: page.items.map((m) => ({ type: 'message', ...m })), next: page.next, field: 'messages', extra: { has_more: page.next !== '' } };
    },
    'conversations.members': (params) => {
      const channel = channelFor(params, false);
      const members = [...channel.members].sort();
      return { ...keysetPage(members, (m) => m, ascending, params.cursor, size('conversations.members', params)), field: 'members' };
    },
  };

  const answer = (method: string, params: Record<string, string>): Record<string, unknown> => {
    if (method === 'auth.test') {
      return { url: `https://${ws.team.domain}.slack.com/`, team: ws.team.name, user: ws.bot.name, team_id: ws.team.id, user_id: ws.bot.userId, bot_id: 'B0EVIDBOT1', is_enterprise_install: false };
    }
    const list = lists[method as ListMethod];
    if (!list) throw new SlackError('unknown_method');
    const listMethod = method as ListMethod;
    const key = listMethod === 'conversations.history' || listMethod === 'conversations.members' ? `${method}:${params.channel ?? ''}` : method;
    const page = params.cursor ? (pageOf.get(key) ?? 0) + 1 : 1;
    pageOf.set(key, page);
    const served = list(params);
    let next = served.next;
    if (next !== '' && repeats.get(listMethod) === page) {
      repeats.delete(listMethod);
      // The page names the cursor it was asked with: the client asks for the same page again.
      next = params.cursor ?? '';
      pageOf.set(key, page - 1);
    }
    const fault = changes.get(listMethod);
    if (fault && fault.page === page) {
      changes.delete(listMethod);
      fault.run();
    }
    return { [served.field]: served.items, ...served.extra, response_metadata: { next_cursor: next } };
  };

  const readForm = async (request: IncomingMessage): Promise<Record<string, string>> => {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    return Object.fromEntries(new URLSearchParams(Buffer.concat(chunks).toString('utf8')));
  };

  const send = (response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
    response.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'x-oauth-scopes': (options.scopes ?? DEFAULT_SCOPES).join(','), ...headers });
    response.end(JSON.stringify(body));
  };

  const server = createServer((request, response) => {
    void readForm(request).then((params) => {
      const method = (request.url ?? '').split('?')[0]!.split('/').pop() ?? '';
      const log = (status: number) => requests.push({ method, params, status });
      const wait = rateLimits.get(method);
      if (wait !== undefined) {
        rateLimits.delete(method);
        log(429);
        return send(response, 429, { ok: false, error: 'ratelimited' }, { 'retry-after': String(wait) });
      }
      log(200);
      if (request.headers.authorization !== `Bearer ${options.token}`) return send(response, 200, { ok: false, error: 'invalid_auth' });
      try {
        send(response, 200, { ok: true, ...answer(method, params) });
      } catch (error) {
        send(response, 200, { ok: false, error: error instanceof SlackError ? error.code : 'internal_error' });
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/api`,
    requests,
    repeatPage: (method, page = 2) => void repeats.set(method, page),
    changeAfterPage: (method, page, change) => void changes.set(method, { page, run: change }),
    rateLimitOnce: (method, retryAfterSeconds = 1) => void rateLimits.set(method, retryAfterSeconds),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
