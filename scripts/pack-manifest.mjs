// The package.json a tarball carries: the workspace's, less the "source" export condition (it names
// src/*.ts, for the CLI running from its sources in the workspace; a tarball ships dist/ only).

/** `exports` (any nesting of subpaths and conditions) without its "source" conditions. */
function dropSource(exports) {
  if (typeof exports !== 'object' || exports === null || Array.isArray(exports)) return exports;
  return Object.fromEntries(Object.entries(exports).filter(([key]) => key !== 'source').map(([key, value]) => [key, dropSource(value)]));
}

export function withoutSourceCondition(manifest) {
  return manifest.exports === undefined ? manifest : { ...manifest, exports: dropSource(manifest.exports) };
}
