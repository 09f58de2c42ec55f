/**
 * The daemon's sense of time, injectable so a year of schedules can be
 * simulated in a test without waiting. The system clock chains timeouts
 * (setTimeout holds at most ~24.8 days) and reports how late a timer fired,
 * which is how the daemon notices the machine was suspended.
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

const MAX_TIMEOUT_MS = 2_147_483_647;

export const systemClock: Clock = {
  now: () => new Date(),
  setTimer(at, callback) {
    let handle: NodeJS.Timeout | undefined;
    let cancelled = false;
    const arm = () => {
      const delay = at.getTime() - Date.now();
      if (delay > MAX_TIMEOUT_MS) {
        handle = setTimeout(arm, MAX_TIMEOUT_MS);
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
