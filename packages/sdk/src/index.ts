export * from './types.js';
export * from './secret.js';
export * from './define.js';
export { createEvidenceFetch, snapshotOf, redactUrl, selectHeaders, SNAPSHOT_HEADER, RequestBudgetExceededError, HttpExchangeError } from './evidence-fetch.js';
export type { EvidenceFetch, EvidenceFetchOptions } from './evidence-fetch.js';
export { DEFAULT_RETRY_POLICY, type RetryPolicy } from './retry-policy.js';
export { runStream, collectionRange, clampToRetention, abortableSleep, type RunStreamOptions, type StreamOutcome } from './run-stream.js';
export { describeError } from './describe-error.js';
export { runDoctor, type RunDoctorOptions } from './doctor.js';
