/**
 * The system clock's timers against the wall clock. Node's timers count
 * monotonic time, which stands still while the machine is suspended (and
 * ignores the clock being stepped forward); Jest's fake timers reproduce
 * that: setSystemTime moves the wall clock without running any timer, as a
 * resume from suspend does.
 */
import { afterEach, describe, expect, it, jest } from '@jest/globals';
import { systemClock } from './clock.js';

const T0 = Date.parse('2026-05-04T01:30:00Z');
const HOUR_MS = 3_600_000;

afterEach(() => {
  jest.useRealTimers();
});

describe('systemClock.setTimer', () => {
  it('fires soon after a resume from suspend that passed its time, not after the rest of its delay', () => {
    jest.useFakeTimers({ now: T0 });
    const fired: number[] = [];
    systemClock.setTimer(new Date(T0 + 24 * HOUR_MS), () => void fired.push(Date.now()));
    jest.advanceTimersByTime(HOUR_MS);
    // Asleep for 30 hours: the wall clock moved on, the timers did not.
    jest.setSystemTime(T0 + 31 * HOUR_MS);
    jest.advanceTimersByTime(61_000);
    expect(fired.map((at) => at - (T0 + 31 * HOUR_MS))).toEqual([expect.any(Number)]);
    expect(fired[0]! - (T0 + 31 * HOUR_MS)).toBeLessThanOrEqual(61_000);
  });

  it('fires at its time when the clock was stepped back meanwhile, not early, and never once cancelled', () => {
    jest.useFakeTimers({ now: T0 });
    const fired: number[] = [];
    systemClock.setTimer(new Date(T0 + 2 * HOUR_MS), () => void fired.push(Date.now()));
    const cancel = systemClock.setTimer(new Date(T0 + HOUR_MS), () => void fired.push(-1));
    jest.setSystemTime(T0 - HOUR_MS);
    // An hour and a half for the timers, half an hour past T0 on the wall clock.
    jest.advanceTimersByTime(1.5 * HOUR_MS);
    expect(fired).toEqual([]);
    cancel();
    jest.advanceTimersByTime(2 * HOUR_MS);
    expect(fired).toEqual([T0 + 2 * HOUR_MS]);
  });
});
