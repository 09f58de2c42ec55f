/**
 * @evidentia/cassettes: recorded API traffic at run time. The cassette
 * format, the rules for matching a request to a recorded one and for keeping
 * credentials out, the replay server that answers from cassettes (the demo
 * runs on it), and the recording proxy with its redaction that `fixtures
 * record` makes cassettes with; @evidentia/testing re-exports them for
 * connector tests.
 */
export { cassetteSchema, loadCassette, parseCassette, CassetteError, CASSETTE_FORMAT } from './cassette.js';
export type { Cassette, CassetteInput, Interaction, CassetteRequest, CassetteResponse, JsonValue } from './cassette.js';
export { startReplayServer, BASE_URL_PLACEHOLDER } from './replay-server.js';
export type { ReplayServer, ReplayServerOptions, ReplayedRequest, UnusedInteraction } from './replay-server.js';
export { REDACTED, isCredentialQueryParam, isCredentialResponseHeader, scrubRequestBody, withoutCredentialParams } from './credentials.js';
export { bodyValue, requestMatches } from './match.js';
export { startRecordingProxy, type RecordingProxy, type RecordingProxyOptions } from './recorder.js';
export { Redactor, DEFAULT_PERSON_KEYS, type RedactionOptions } from './redact.js';
