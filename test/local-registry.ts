/**
 * A package registry on 127.0.0.1 for install tests, so npm installs packed tarballs without the
 * internet: it serves the workspace's own packed tarballs, and every third-party package from what
 * `pnpm install` laid into node_modules/.pnpm (each package as published: its package.json and files),
 * packed on request with tar (files pnpm hard-linked to one another as real files: npm drops link entries). A package it does not hold is a 404, as on any registry; the names
 * npm asked for are kept, so a test can say what was missing.
 */
import { execFile } from 'node:child_process';
import { lstatSync, readdirSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';

interface Version {
  manifest: Record<string, unknown>;
  /** A folder to pack, or a ready tarball. */
  dir?: string;
  tarball?: string;
}

export interface LocalRegistry {
  url: string;
  /** Names npm asked for that the registry does not hold. */
  missing: Set<string>;
  close(): Promise<void>;
}

/** Every package folder under node_modules/.pnpm: name → version → folder. */
function storePackages(workspaceRoot: string): Map<string, Map<string, Version>> {
  const packages = new Map<string, Map<string, Version>>();
  const store = join(workspaceRoot, 'node_modules/.pnpm');
  const add = (dir: string) => {
    if (!lstatSync(dir).isDirectory()) return; // a symlink is a dependency of a sibling, not this entry's package
    let manifest: Record<string, unknown>;
    try {
      manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as Record<string, unknown>;
    } catch {
      return;
    }
    const { name, version } = manifest as { name?: string; version?: string };
    if (!name || !version) return;
    if (!packages.has(name)) packages.set(name, new Map());
    if (!packages.get(name)!.has(version)) packages.get(name)!.set(version, { manifest, dir });
  };
  for (const entry of readdirSync(store)) {
    const modules = join(store, entry, 'node_modules');
    let names: string[];
    try {
      names = readdirSync(modules);
    } catch {
      continue;
    }
    for (const name of names) {
      if (name.startsWith('@')) for (const scoped of readdirSync(join(modules, name))) add(join(modules, name, scoped));
      else add(join(modules, name));
    }
  }
  return packages;
}

function run(command: string, args: string[]): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    execFile(command, args, { encoding: 'buffer', maxBuffer: 512 * 1024 * 1024 }, (error, stdout) => (error ? reject(error) : resolve(stdout)));
  });
}

/** Start the registry; `tarballs` (packed workspace packages) win over the store's copies of the same name. */
export async function startLocalRegistry(workspaceRoot: string, tarballs: string[]): Promise<LocalRegistry> {
  const packages = storePackages(workspaceRoot);
  for (const tarball of tarballs) {
    const manifest = JSON.parse((await run('tar', ['-xzf', tarball, '-O', 'package/package.json'])).toString()) as Record<string, unknown>;
    packages.set(manifest.name as string, new Map([[manifest.version as string, { manifest, tarball }]]));
  }
  const missing = new Set<string>();
  let base = '';
  const server: Server = createServer((request, response) => {
    const path = decodeURIComponent((request.url ?? '/').split('?')[0]!.slice(1));
    const tarballPath = /^-\/tarball\/(.+)\/([^/]+)\.tgz$/.exec(path);
    const name = tarballPath ? tarballPath[1]! : path;
    const versions = packages.get(name);
    if (!versions) {
      missing.add(name);
      response.writeHead(404, { 'content-type': 'application/json' }).end('{"error":"not found"}');
      return;
    }
    if (!tarballPath) {
      const all = [...versions.entries()].map(([version, { manifest }]) => [version, { ...manifest, dist: { tarball: `${base}/-/tarball/${encodeURIComponent(name)}/${version}.tgz` } }]);
      const latest = [...versions.keys()].sort((a, b) => a.localeCompare(b, 'en', { numeric: true })).at(-1);
      response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ name, 'dist-tags': { latest }, versions: Object.fromEntries(all) }));
      return;
    }
    const found = versions.get(tarballPath[2]!);
    const packed = found?.tarball
      ? Promise.resolve(readFileSync(found.tarball))
      : run('tar', ['-czf', '-', '--hard-dereference', '-C', found?.dir ?? '/nonexistent', '--exclude=./node_modules', '--transform', 's,^\\.,package,', '.']);
    packed.then(
      (body) => response.writeHead(200, { 'content-type': 'application/octet-stream' }).end(body),
      (error: Error) => response.writeHead(500).end(error.message),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url: `${base}/`, missing, close: () => new Promise((resolve) => server.close(() => resolve())) };
}
