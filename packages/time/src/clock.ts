/**
 * The daemon's sense of time, injectable so a year of schedules can be
 * simulated in a test without waiting. The system clock waits in steps of
 * at most a minute and looks at the wall clock after each: Node's timers
 * count monotonic time, which stands still while the machine is suspended
 * and ignores the clock being stepped, so one long timeout would fire the
 * rest of its delay after a resume (a daily run up to a day late) or early
 * after the clock went back. The daemon notices a late timer (the machine
 * was suspended) by how late it fired.
 */

export interface Clock {
  now(): Date;
  /**
   * Call `callback` at `at` (at once when `at` has passed). The virtual clock
   * in tests waits for the promise the callback returns before moving on.
   * Returns a function that cancels the timer.
   */
  setTimer(at: Date, callback: () => Promise<void> | void): () => void;
}

/** The longest single wait before the wall clock is looked at again. */
const RECHECK_MS = 60_000;

export const systemClock: Clock = {
  now: () => new Date(),
  setTimer(at, callback) {
    let handle: NodeJS.Timeout | undefined;
    let cancelled = false;
    const arm = () => {
      const delay = at.getTime() - Date.now();
      if (delay > RECHECK_MS) {
        handle = setTimeout(arm, RECHECK_MS);
        return;
      }
      handle = setTimeout(() => {
        if (!cancelled) void callback();
      }, Math.max(0, delay));
    };
    arm();
    return () => {
      cancelled = true;
      clearTimeout(handle);
    };
  },
};
