export * from './types.js';
export * from './secret.js';
export * from './define.js';
