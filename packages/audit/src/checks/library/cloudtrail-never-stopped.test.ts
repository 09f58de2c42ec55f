/** cloudtrail-never-stopped: gaps in logging replayed from the trail's own management events. */
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { createSyntheticLocker, type SyntheticLocker } from '../synthetic-locker.js';
import { auditEventRecord } from '../synthetic-records.js';
import { findingsOf, verdicts } from '../test-support.js';
import cloudtrailNeverStopped from './cloudtrail-never-stopped.js';

const AWS = 'aws:acme-prod';
const OTHER = 'aws:acme-dev';
const PERIOD = '2026-02-01..2026-02-28';
const ARN = 'arn:aws:cloudtrail:us-east-1:123456789012:trail/main';
const stream = 'aws/cloudtrail_events';

let synthetic: SyntheticLocker;
beforeEach(async () => {
  synthetic = await createSyntheticLocker();
});
afterEach(async () => synthetic.cleanup());

let n = 0;
const event = (action: string, at: string, data: Record<string, unknown> = {}, system = AWS) => auditEventRecord(system, `e-${++n}`, { action, at, target: ARN, ...data });

describe('cloudtrail-never-stopped', () => {
  it('finds a trail stopped and restarted between two inventories, and one deleted for good', async () => {
    await synthetic.run('2026-03-01T02:00:00Z', [
      {
        stream,
        type: 'event',
        records: [
          event('ConsoleLogin', '2026-02-02T08:00:00Z', { target: null }),
          event('StopLogging', '2026-02-10T10:00:00Z'),
          event('StartLogging', '2026-02-10T10:45:00Z', { target: 'main' }),
          // A denied StopLogging stopped nothing.
          event('StopLogging', '2026-02-12T10:00:00Z', { outcome: 'AccessDenied' }),
          event('DeleteTrail', '2026-02-20T00:00:00Z', { target: 'arn:aws:cloudtrail:us-east-1:123456789012:trail/old' }),
          event('ConsoleLogin', '2026-02-05T08:00:00Z', { target: null }, OTHER),
        ],
      },
    ]);
    const findings = await findingsOf(cloudtrailNeverStopped, synthetic.locker, PERIOD);
    expect(verdicts(findings)).toEqual([
      [`${OTHER} @ ${OTHER}`, 'pass'],
      [`${AWS} @ ${AWS}`, 'exception'],
    ]);
    const prod = findings.find((f) => f.system === AWS)!;
    expect(prod.reason).toBe(
      'trail main stopped at 2026-02-10T10:00:00.000Z, logging again at 2026-02-10T10:45:00.000Z (45 min without logging in the period); trail old deleted at 2026-02-20T00:00:00.000Z and not logging again by the end of the period',
    );
    expect(prod.records).toHaveLength(3);
    expect(findings.find((f) => f.system === OTHER)!.reason).toBe('no trail stopped or deleted in the period (1 CloudTrail event(s) of the period collected)');
    // A short, tolerated stop is listed but passes; the deletion still does not.
    const tolerant = await findingsOf(cloudtrailNeverStopped, synthetic.locker, PERIOD, { settings: { toleratedGapMinutes: 60 } });
    expect(tolerant.find((f) => f.system === AWS)!.reason).toBe(prod.reason.split('; ')[1]);
  });

  it('knows a trail was already off when the period began, from the events before it', async () => {
    await synthetic.run('2026-03-01T02:00:00Z', [
      { stream, type: 'event', records: [event('StopLogging', '2026-01-25T00:00:00Z'), event('StartLogging', '2026-02-01T06:00:00Z')] },
    ]);
    const findings = await findingsOf(cloudtrailNeverStopped, synthetic.locker, PERIOD);
    expect(verdicts(findings)).toEqual([[`${AWS} @ ${AWS}`, 'exception']]);
    expect(findings[0]!.reason).toBe('trail main stopped at 2026-01-25T00:00:00.000Z, logging again at 2026-02-01T06:00:00.000Z (6 h without logging in the period)');
  });

  it('never passes without an event of the period to judge', async () => {
    await synthetic.run('2026-03-01T02:00:00Z', [{ stream, type: 'event', records: [event('StartLogging', '2026-01-10T00:00:00Z')] }]);
    const findings = await findingsOf(cloudtrailNeverStopped, synthetic.locker, PERIOD);
    expect(findings.filter((f) => f.status === 'pass')).toEqual([]);
    expect(verdicts(findings)).toEqual([[`(all audit.event records of ${AWS}) @ ${AWS}`, 'not-assessed']]);
  });
});
