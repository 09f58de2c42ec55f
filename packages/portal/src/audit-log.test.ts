/**
 * The portal's audit log without a locker: events wait, in order, while the
 * writer lock is held and are stored once it is free, said once per wait;
 * what still cannot be stored when the portal stops is printed whole.
 */
import { describe, expect, it } from '@jest/globals';
import { LockerBusyError, type PortalLogInput } from '@evidentia/locker';
import { AuditLog } from './audit-log.js';

const event = (target: string): PortalLogInput => ({ action: 'view', user: 'ann', role: 'auditor', target, outcome: '200', address: '127.0.0.1', at: '2026-06-15T10:00:00.000Z' });
const busy = () => new LockerBusyError('/locker', { pid: 4242, runId: 'run-1' });
const settle = () => new Promise((resolve) => setTimeout(resolve, 60));

describe('AuditLog', () => {
  it('keeps events in order while a run holds the writer lock and stores them once it is free', async () => {
    const stored: string[][] = [];
    let locked = 2;
    const lines: string[] = [];
    const log = new AuditLog(
      async (events) => {
        if (locked-- > 0) throw busy();
        stored.push(events.map((entry) => entry.target));
        return events.length;
      },
      (line) => lines.push(line),
      5,
    );
    log.record(event('/a'));
    log.record(event('/b'));
    await settle();
    log.record(event('/c'));
    await settle();
    expect(stored.flat()).toEqual(['/a', '/b', '/c']);
    expect(log.waiting).toBe(0);
    expect(lines).toEqual([expect.stringMatching(/^portal log: 2 event\(s\) wait: a collection run holds the locker; trying again$/), expect.stringMatching(/^portal log: the writer lock is free again; \d waiting event\(s\) stored$/)]);
  });

  it('prints each event it could not store by close, never dropping one silently', async () => {
    const lines: string[] = [];
    const log = new AuditLog(() => Promise.reject(busy()), (line) => lines.push(line), 5);
    log.record(event('/evidence/population.csv?kind=access.account'));
    await log.close(30);
    expect(lines.at(-2)).toBe('portal log: 1 event(s) could not be stored in the locker before the portal stopped; they follow:');
    expect(JSON.parse(lines.at(-1)!.replace(/^portal log: /, ''))).toEqual(event('/evidence/population.csv?kind=access.account'));
    expect(log.waiting).toBe(0);
  });
});
