/**
 * A recording keeps no credential the API itself hands out, though the config
 * never held it: a GitHub App installation token, an OAuth token response, a
 * token-shaped value or private key anywhere in a body or header, a
 * presigned URL's signature. The cassette still replays. Real servers on 127.0.0.1.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startRecordingProxy } from './recorder.js';
import { startReplayServer } from './replay-server.js';

// Built at run time so this file itself holds nothing the fixture guard would flag.
const GHS = `ghs_${'k3J9'.repeat(9)}`;
const GHP = `ghp_${'Zq7w'.repeat(9)}`;
const XOXB = `xoxb-1234567890-${'Ab3d'.repeat(6)}`;
const JWT = `eyJhbGciOiJSUzI1NiJ9.${'eyJzdWIiOiIxMjM0In0'}.${'Sg9x'.repeat(10)}`;
const PEM = `-----BEGIN RSA PRIVATE KEY-----\nMIIEow${'Qk7p'.repeat(16)}\n-----END RSA PRIVATE KEY-----`;
const SIGNATURE = 'a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6e7f8a9b0c1d2e3f4a5b6c7d8e9f0a1b2';
const CREDENTIAL = 'ASIAQ7ZTPLMN3KXW2RVB/20261207/us-east-1/s3/aws4_request';

let upstream: Server;
let upstreamUrl = '';

beforeAll(async () => {
  upstream = createServer((request, response) => {
    request.resume();
    request.on('end', () => {
      const json = (value: unknown, headers: Record<string, string> = {}) => response.writeHead(200, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(value));
      const presigned = `https://bucket.s3.amazonaws.com/report.csv?X-Amz-Credential=${encodeURIComponent(CREDENTIAL)}&X-Amz-Signature=${SIGNATURE}&X-Amz-Expires=300`;
      if (request.url === '/app/installations/1/access_tokens') return json({ token: GHS, expires_at: '2026-12-07T18:00:00Z' });
      if (request.url === '/oauth/token') return json({ access_token: 'ya29.a0AfH6SMBx7Qk2pLmNvR4s', refresh_token: '1//0gLr9XkQ2pT7vWmZ', id_token: JWT, token_type: 'Bearer', expires_in: 3599 });
      if (request.url === '/login/oauth/access_token')
        return response.writeHead(200, { 'content-type': 'application/x-www-form-urlencoded' }).end('access_token=Qk7pZ9xLmN2vR4sT&refresh_token=Zx8cV7bN6mQ5wE4r&token_type=bearer&scope=repo');
      if (request.url === '/report') return json({ url: presigned, note: `deploy key ${GHP} for bot ${XOXB}`, key: PEM }, { location: presigned, 'x-debug': `Bearer ${JWT}` });
      json({ message: 'not found' });
    });
  });
  await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
  upstreamUrl = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => upstream.close(() => resolve())));

async function exchange(base: string): Promise<Array<Record<string, unknown>>> {
  const bodies: Array<Record<string, unknown>> = [];
  bodies.push((await (await fetch(`${base}/app/installations/1/access_tokens`, { method: 'POST' })).json()) as Record<string, unknown>);
  bodies.push((await (await fetch(`${base}/oauth/token`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'grant_type=refresh_token&refresh_token=old' })).json()) as Record<string, unknown>);
  bodies.push((await (await fetch(`${base}/report`, { redirect: 'manual' })).json()) as Record<string, unknown>);
  return bodies;
}

describe('a form-encoded token response', () => {
  it('is recorded with its tokens removed and its other fields kept', async () => {
    const proxy = await startRecordingProxy({ upstream: upstreamUrl });
    expect(await (await fetch(`${proxy.baseUrl}/login/oauth/access_token`, { method: 'POST' })).text()).toContain('Qk7pZ9xLmN2vR4sT');
    await proxy.close();
    expect(proxy.cassette('oauth').interactions[0]!.response.body).toBe('access_token=[redacted]&refresh_token=[redacted]&token_type=bearer&scope=repo');
  });
});

describe('a recording of responses that carry credentials', () => {
  it('keeps none of them, and keeps everything else', async () => {
    const proxy = await startRecordingProxy({ upstream: upstreamUrl });
    const live = await exchange(proxy.baseUrl);
    await proxy.close();
    // The client itself still got the real values.
    expect(live[0]!.token).toBe(GHS);
    const text = JSON.stringify(proxy.cassette('issued credentials'));
    for (const secret of [GHS, GHP, XOXB, JWT, 'MIIEow', SIGNATURE, 'ASIAQ7ZTPLMN3KXW2RVB', 'ya29.a0AfH6SMBx7Qk2pLmNvR4s', '1//0gLr9XkQ2pT7vWmZ']) expect(text).not.toContain(secret);
    const [token, oauth, report] = proxy.cassette('issued credentials').interactions.map((interaction) => interaction.response);
    expect(token!.body).toEqual({ token: '[redacted]', expires_at: '2026-12-07T18:00:00Z' });
    expect(oauth!.body).toEqual({ access_token: '[redacted]', refresh_token: '[redacted]', id_token: '[redacted]', token_type: 'Bearer', expires_in: 3599 });
    const presigned = 'https://bucket.s3.amazonaws.com/report.csv?X-Amz-Credential=[redacted]&X-Amz-Signature=[redacted]&X-Amz-Expires=300';
    expect(report!.body).toEqual({ url: presigned, note: 'deploy key [redacted] for bot [redacted]', key: '[redacted]' });
    expect(report!.headers).toMatchObject({ location: presigned, 'x-debug': 'Bearer [redacted]' });
  });

  it('still replays', async () => {
    const proxy = await startRecordingProxy({ upstream: upstreamUrl });
    await exchange(proxy.baseUrl);
    await proxy.close();
    const replay = await startReplayServer([proxy.cassette('issued credentials')]);
    try {
      expect((await exchange(replay.baseUrl))[0]).toEqual({ token: '[redacted]', expires_at: '2026-12-07T18:00:00Z' });
      replay.assertDone();
    } finally {
      await replay.close();
    }
  });
});
