export * from './hash.js';
export * from './kinds.js';
export * from './kind-registry.js';
export * from './record.js';
export * from './record-sources.js';
export * from './stream-types.js';
export { COLLECTOR_VERSION } from './version.js';
export * from './atomic-file.js';
