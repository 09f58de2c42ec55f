/**
 * For tests of code that judges evidence (here and in publish): a real
 * locker in a temporary directory filled with synthetic streams and records.
 * Never imported by production code.
 */
export { createSyntheticLocker, type SyntheticLocker, type SyntheticRecord, type SyntheticStream } from './checks/synthetic-locker.js';
export { accountRecord, auditEventRecord, configRecord, incidentRecord, personnelRecord, pullRequestRecord } from './checks/synthetic-records.js';
export { findingsOf, outcomeOf, verdicts, type TestRunOptions } from './checks/test-support.js';
export { History, planOf, simulate, type SimulatedStream } from './coverage/history.test-support.js';
