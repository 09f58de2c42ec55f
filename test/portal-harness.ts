/**
 * What the portal's e2e tests share: a password hash from `serve
 * hash-password`, a portal started on a config (its URL once it listens),
 * Debian's chromium launched as the report's browser test launches it, and
 * one teardown for all of it.
 */
import { execFileSync } from 'node:child_process';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { portalUrl, REPO_ROOT, spawnCli } from './cli.js';

const CHROMIUM = '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'];

export const hashOf = (password: string) =>
  execFileSync(process.execPath, [join(REPO_ROOT, 'collector/bin/evidentia.js'), 'serve', 'hash-password'], { input: `${password}\n`, env: { ...process.env, NODE_OPTIONS: '' } }).toString().trim();

export interface Harness {
  server?: ReturnType<typeof spawnCli>;
  browser?: Browser;
  dir?: string;
}

/** `evidentia serve` on `config` at a free loopback port, and its URL. */
export async function servePortal(config: string): Promise<{ server: ReturnType<typeof spawnCli>; base: string }> {
  const server = spawnCli(['serve', '--config', config, '--listen', '127.0.0.1:0']);
  return { server, base: await portalUrl(server) };
}

export const launchChromium = (): Promise<Browser> => chromium.launch({ executablePath: CHROMIUM, args: ARGS });

/** Close the browser, stop the portal (SIGTERM) and remove the directory, whichever were started. */
export async function tearDown(harness: Harness): Promise<void> {
  await harness.browser?.close();
  harness.server?.child.kill('SIGTERM');
  await harness.server?.done;
  if (harness.dir) await rm(harness.dir, { recursive: true, force: true });
}
