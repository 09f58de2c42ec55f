/**
 * A virtual clock for daemon tests: timers fire in time order when the test
 * advances the clock, and each timer's callback (a whole collection run) is
 * awaited before the next, so a year of schedules runs in moments. A fake
 * run may move the clock forward to take time.
 */
import type { Clock } from '@evidentia/time';

interface Timer {
  at: number;
  order: number;
  callback: () => Promise<void> | void;
  cancelled: boolean;
}

export class VirtualClock implements Clock {
  private time: number;
  private timers: Timer[] = [];
  private order = 0;

  constructor(start: Date) {
    this.time = start.getTime();
  }

  now(): Date {
    return new Date(this.time);
  }

  setTimer(at: Date, callback: () => Promise<void> | void): () => void {
    const timer = { at: at.getTime(), order: this.order++, callback, cancelled: false };
    this.timers.push(timer);
    return () => {
      timer.cancelled = true;
    };
  }

  /** Move time forward without firing anything (a run taking time, a machine asleep). */
  advance(ms: number): void {
    this.time += ms;
  }

  /**
   * Set the clock back or forward without time passing (a correction): like
   * the system clock's, pending timers fire after the time they were set
   * for elapses, so at clock times moved by as much.
   */
  setBy(ms: number): void {
    this.time += ms;
    for (const timer of this.timers) timer.at += ms;
  }

  /** Pending timers (not cancelled). */
  get pending(): number {
    return this.timers.filter((timer) => !timer.cancelled).length;
  }

  /** Fire every timer due up to `until`, in order, awaiting each; then stand at `until`. */
  async runUntil(until: Date): Promise<void> {
    for (;;) {
      this.timers = this.timers.filter((timer) => !timer.cancelled);
      let next: Timer | undefined;
      for (const timer of this.timers) if (!next || timer.at < next.at || (timer.at === next.at && timer.order < next.order)) next = timer;
      if (!next || next.at > until.getTime()) break;
      this.timers.splice(this.timers.indexOf(next), 1);
      this.time = Math.max(this.time, next.at);
      await next.callback();
    }
    this.time = Math.max(this.time, until.getTime());
  }
}
