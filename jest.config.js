/** Jest in native ESM mode with ts-jest; type-checking is done by `tsc -b` (pnpm typecheck). */

// The locker sets this for better-sqlite3 (URI filenames open a read-only copy immutable), but a test's
// process.env is jest's copy, which the native module never reads: set it in the real environment here.
process.env.SQLITE_USE_URI ??= '1';
export default {
  testEnvironment: 'node',
  testEnvironmentOptions: { customExportConditions: ['source', 'node', 'node-addons'] },
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: { '^.+\\.ts$': ['ts-jest', { useESM: true, tsconfig: '<rootDir>/tsconfig.base.json', diagnostics: false }] },
  testMatch: ['<rootDir>/**/src/**/*.test.ts', '<rootDir>/test/**/*.test.ts', '<rootDir>/config/examples/**/*.test.ts'],
  testPathIgnorePatterns: ['/node_modules/', '/dist/'],
  testTimeout: 30000,
};
