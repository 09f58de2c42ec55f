/**
 * @evidentia/cassettes: recorded API traffic at run time. The cassette
 * format, the rules for matching a request to a recorded one and for keeping
 * credentials out, and the replay server that answers from cassettes (the
 * demo runs on it; @evidentia/testing re-exports it for connector tests).
 */
export { cassetteSchema, loadCassette, parseCassette, CassetteError, CASSETTE_FORMAT } from './cassette.js';
export type { Cassette, CassetteInput, Interaction, CassetteRequest, CassetteResponse, JsonValue } from './cassette.js';
export { startReplayServer, BASE_URL_PLACEHOLDER } from './replay-server.js';
export type { ReplayServer, ReplayServerOptions, ReplayedRequest, UnusedInteraction } from './replay-server.js';
export { REDACTED, isCredentialQueryParam, scrubRequestBody, withoutCredentialParams } from './credentials.js';
export { bodyValue, requestMatches } from './match.js';
