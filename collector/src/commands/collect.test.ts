import { describe, expect, it } from '@jest/globals';
import type { Manifest, ManifestStream } from '@evidentia/locker';
import { renderRunSummary } from './collect.js';

const stream = (overrides: Partial<ManifestStream>): ManifestStream =>
  ({ instance: 'slack', stream: 'incident_channels', type: 'event', status: 'complete', recordCount: 3, apiTotal: null, snapshotCount: 4, requests: 4, error: null, ...overrides }) as ManifestStream;

describe('the run summary', () => {
  it('lists the items a stream could not read, with hostile names neutralized', () => {
    const manifest = {
      runId: 'run-1',
      sequence: 7,
      status: 'partial',
      streams: [
        stream({ itemGaps: [{ item: 'channel #inc-\u001b[31mred (C07)', reason: 'not_in_channel', inScope: false }] }),
        stream({ instance: 'github', stream: 'members', type: 'state', status: 'partial', error: 'received 130 of 329 organization members the source reports' }),
      ],
    } as unknown as Manifest;
    const text = renderRunSummary({ manifest, outcomes: [], witnessed: { checkpoint: null, warnings: [] } });
    expect(text).toContain('items that could not be read:\n  slack/incident_channels: channel #inc-\\x1b[31mred (C07): not_in_channel (outside the configured scope)\n');
    expect(text).not.toContain('\u001b');
    expect(text).toContain('received 130 of 329 organization members the source reports');
    expect(text).toContain('run run-1: partial (manifest #7)');
  });
});
