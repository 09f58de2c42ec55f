/**
 * The daemon's optional local HTTP endpoint (config `daemon.health`, off by
 * default, 127.0.0.1 unless told otherwise): `GET /health` answers the
 * health snapshot as JSON (HTTP 200 when ok, 503 when degraded, for probes),
 * `GET /metrics` the same in Prometheus text format. Nothing else is served
 * and nothing can be changed through it.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { HealthSnapshot } from './health.js';
import { renderMetrics } from './metrics.js';

export interface HealthServer {
  /** `http://host:port` */
  url: string;
  close(): Promise<void>;
}

export async function startHealthServer(host: string, port: number, snapshot: () => HealthSnapshot): Promise<HealthServer> {
  const server: Server = createServer((request, response) => {
    const path = (request.url ?? '/').split('?')[0];
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.writeHead(405, { allow: 'GET, HEAD' }).end();
    } else if (path === '/health') {
      const current = snapshot();
      response.writeHead(current.status === 'ok' ? 200 : 503, { 'content-type': 'application/json' }).end(`${JSON.stringify(current, null, 2)}\n`);
    } else if (path === '/metrics') {
      response.writeHead(200, { 'content-type': 'text/plain; version=0.0.4; charset=utf-8' }).end(renderMetrics(snapshot()));
    } else {
      response.writeHead(404, { 'content-type': 'text/plain' }).end('not found: try /health or /metrics\n');
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  const shownHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    url: `http://${shownHost}:${address.port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
