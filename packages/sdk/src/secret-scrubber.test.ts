import { describe, expect, it } from '@jest/globals';
import { z } from 'zod';
import { hashRecord, type EvidenceRecord } from '@evidentia/evidence';
import { defineConnector } from './define.js';
import { runStream } from './run-stream.js';
import { Secret } from './secret.js';
import { SecretScrubber, secretValuesIn } from './secret-scrubber.js';
import type { Logger, Provenance, StreamSink } from './types.js';

const TOKEN = 'tok-7Hq2v9ZxLmN4pRs';

describe('SecretScrubber', () => {
  it('removes config secrets in plain, URL-encoded and base64 form, and well-known credential formats', () => {
    const scrubber = new SecretScrubber([TOKEN, 'p@ss word!', 'eu']);
    const basic = Buffer.from(TOKEN).toString('base64');
    const text = `401 for ${TOKEN}; url ?key=${encodeURIComponent('p@ss word!')}; auth ${basic}; region eu; ghp_${'a'.repeat(36)}; AKIAABCDEFGHIJKLMNOP; Bearer abc.def.ghi; "client_secret": "s3cr3tvalue"`;
    const scrubbed = scrubber.scrub(text);
    for (const leaked of [TOKEN, encodeURIComponent('p@ss word!'), basic, 'ghp_', 'AKIAABCDEFGHIJKLMNOP', 'abc.def.ghi', 's3cr3tvalue']) expect(scrubbed).not.toContain(leaked);
    // A value too short to be a credential is left alone: it would redact ordinary words.
    expect(scrubbed).toContain('region eu');
    expect(scrubbed).toContain('Bearer [redacted]');
  });

  it('finds the resolved secrets in a config, not the unresolved references', () => {
    expect(secretValuesIn({ a: new Secret(TOKEN, '${env:A}'), b: [{ c: Secret.unresolved('${env:C}') }], d: 'plain' })).toEqual([TOKEN]);
  });
});

class ArraySink implements StreamSink {
  async putSnapshot(_provenance: Provenance, _body: unknown) {
    return 'b'.repeat(64);
  }
  async putRecord(record: EvidenceRecord) {
    return hashRecord(record);
  }
}

describe('runStream', () => {
  it('never lets a connector put its own token into the outcome, item gaps or logs', async () => {
    const connector = defineConnector({
      id: 'leaky',
      version: '1.0.0',
      title: 'Leaky',
      configSchema: z.object({ token: z.instanceof(Secret) }),
      credentials: [],
      system: () => 'leaky:acme',
      streams: {
        things: {
          type: 'state',
          kind: 'access.account',
          description: 'things',
          controls: ['CC6.1'],
          async collect(ctx) {
            ctx.log.warn(`retrying with ${ctx.config.token.reveal()}`, { header: `Bearer ${ctx.config.token.reveal()}` });
            ctx.itemGap({ item: 'repo x', reason: `denied for token ${ctx.config.token.reveal()}`, inScope: false });
            throw new Error(`the API rejected token ${ctx.config.token.reveal()}`);
          },
        },
      },
    });
    const lines: string[] = [];
    const log: Logger = { debug() {}, info() {}, warn: (message, fields) => lines.push(message + JSON.stringify(fields)), error: (message, fields) => lines.push(message + JSON.stringify(fields)) };
    const outcome = await runStream({ connector, instance: 'leaky', config: { token: new Secret(TOKEN, '${env:T}') }, stream: 'things', sink: new ArraySink(), cursor: null, collectorVersion: 'test', log });
    expect(outcome.status).toBe('failed');
    expect(outcome.error).toBe('the API rejected token [redacted]');
    expect(JSON.stringify(outcome)).not.toContain(TOKEN);
    expect(lines.length).toBeGreaterThan(1);
    for (const line of lines) expect(line).not.toContain(TOKEN);
  });
  it('never lets the user info of a URL into the outcome or logs, though it is no config secret', async () => {
    const url = 'https://svc:Pa55w0rd@127.0.0.1:9/rest/api/2/user';
    const connector = defineConnector({
      id: 'userinfo',
      version: '1.0.0',
      title: 'User info',
      configSchema: z.object({}),
      credentials: [],
      system: () => 'userinfo:acme',
      streams: {
        things: {
          type: 'state',
          kind: 'access.account',
          description: 'things',
          controls: ['CC6.1'],
          async collect(ctx) {
            ctx.log.warn(`connecting to ${url}`, { url });
            await ctx.fetch(url);
          },
        },
      },
    });
    const lines: string[] = [];
    const log: Logger = { debug() {}, info() {}, warn: (message, fields) => lines.push(message + JSON.stringify(fields)), error: (message, fields) => lines.push(message + JSON.stringify(fields)) };
    const outcome = await runStream({ connector, instance: 'userinfo', config: {}, stream: 'things', sink: new ArraySink(), cursor: null, collectorVersion: 'test', log });
    expect(outcome.status).toBe('failed');
    expect(outcome.error).toContain('GET https://127.0.0.1:9/rest/api/2/user');
    expect(lines.length).toBeGreaterThan(1);
    for (const text of [JSON.stringify(outcome), ...lines]) expect(text).not.toContain('Pa55w0rd');
  });
});
