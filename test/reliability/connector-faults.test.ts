/**
 * Every connector's real API client through the fault proxy
 * (@evidentia/testing startFaultProxy) in front of its simulator
 * (fault-trials.ts). Transient faults (429 with Retry-After, 5xx bursts,
 * resets, truncated bodies, repeated pages) may cost retries, never
 * evidence: the run is complete and the locker holds exactly the records of
 * a clean run against the same source. A fault no retry removes (a revoked
 * token, a service that stays down) ends the affected streams failed or
 * partial with a one-line reason naming the status, never complete with
 * fewer records, and the next clean run converges on the clean records.
 * The locker verifies after every run.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { TRANSIENT_FAULTS, type FaultType, type PersistentFault } from '@evidentia/testing';
import { ConnectorTrials } from './fault-trials.js';
import { CONNECTORS } from './systems.js';

/** Faults served over the whole suite, to show every kind fired somewhere. */
const served: Partial<Record<FaultType, number>> = {};
function tally(injected: Record<FaultType, number>): void {
  for (const [fault, count] of Object.entries(injected) as Array<[FaultType, number]>) served[fault] = (served[fault] ?? 0) + count;
}

/** One persistent fault per connector, in turn (a connector's run costs a second of CPU or more). */
const PERSISTENT: PersistentFault[] = ['unauthorized', 'server-error'];

describe.each(CONNECTORS.map((name, index) => ({ name, seed: 1_000 + index, persistent: PERSISTENT[index % 2]! })))('$name through the fault proxy', ({ name, seed, persistent }) => {
  let trials: ConnectorTrials;
  beforeAll(async () => {
    trials = await ConnectorTrials.start(name);
    expect(trials.clean.manifest.streams.filter((s) => s.status !== 'complete')).toEqual([]);
    expect(trials.clean.problems).toEqual([]);
  }, 60_000);
  afterAll(() => trials.close());

  it('transient faults cost retries, never records: complete, and the same records as a clean run', async () => {
    const outcome = await trials.transient(seed);
    tally(outcome.injected);
    expect(outcome).toMatchObject({ unfinished: [], missingStreams: [], completeButDifferent: [], problems: [], rateLimitsNotWaited: 0 });
    expect(Object.values(outcome.injected).reduce((a, b) => a + b, 0)).toBeGreaterThan(2);
    expect(outcome.extraRequests).toBeGreaterThan(0);
  }, 60_000);

  it(`a persistent ${persistent} ends the run loudly, never complete with fewer records; the next clean run converges`, async () => {
    const outcome = await trials.persistent(seed, persistent);
    tally(outcome.injected);
    expect(outcome).toMatchObject({ missingStreams: [], completeButDifferent: [], problems: [], convergence: { unfinished: [], recordsDiffer: [] } });
    expect(outcome.unfinished.length).toBeGreaterThan(0);
    // Each stream that did not finish says why in one line naming the HTTP status it got.
    const status = persistent === 'unauthorized' ? /401/ : /50[023]/;
    for (const line of outcome.unfinished) expect(line).toMatch(new RegExp(`^[^\\n]*${status.source}[^\\n]*$`));
  }, 60_000);
});

// Runs last (jest keeps file order): the trials above must between them have served every kind of fault.
it('served every kind of fault in some connector trial', () => {
  for (const fault of [...TRANSIENT_FAULTS, 'unauthorized'] as const) expect({ fault, served: (served[fault] ?? 0) > 0 }).toEqual({ fault, served: true });
});
