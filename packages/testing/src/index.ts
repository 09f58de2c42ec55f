/**
 * @evidentia/testing: what connector authors test with. The replay server
 * answers from recorded cassettes, the harness runs a stream against it, the
 * recording proxy makes cassettes from a real account, and the secret guard
 * keeps real credentials out of committed fixtures.
 */
export { cassetteSchema, loadCassette, parseCassette, CassetteError, CASSETTE_FORMAT } from '@evidentia/cassettes';
export type { Cassette, CassetteInput, Interaction, CassetteRequest, CassetteResponse, JsonValue } from '@evidentia/cassettes';
export { startReplayServer, BASE_URL_PLACEHOLDER } from '@evidentia/cassettes';
export type { ReplayServer, ReplayServerOptions, ReplayedRequest, UnusedInteraction } from '@evidentia/cassettes';
export { MemorySink, type StoredSnapshot } from '@evidentia/sdk';
export { runConnectorFixture, FIXTURE_NOW, FIXTURE_COLLECTOR_VERSION } from './harness.js';
export type { ConnectorFixtureOptions, ConnectorFixtureResult } from './harness.js';
export { startRecordingProxy, type RecordingProxy, type RecordingProxyOptions } from '@evidentia/cassettes';
export { Redactor, DEFAULT_PERSON_KEYS, type RedactionOptions } from '@evidentia/cassettes';
export { REDACTED } from '@evidentia/cassettes';
export { findSecretLikeStrings, scanFixtureTree, type SecretFinding, type FileFindings } from './secret-guard.js';
export { seededRandom } from './seeded-random.js';
export { startFaultProxy, type FaultProxy, type FaultProxyOptions } from './fault-proxy.js';
export { TRANSIENT_FAULTS, type FaultPlan, type FaultType, type TransientFault, type PersistentFault } from './fault-schedule.js';
