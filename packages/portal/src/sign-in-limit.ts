/**
 * Sign-in attempts per client address: after `max` failures within
 * `windowMs`, every attempt from that address is refused (429) until the
 * oldest failure leaves the window, right password or not, so guessing is
 * bounded whatever the account. Each failure keeps the name it was for: a
 * sign-in forgets only its own name's failures from that address, so one
 * account's success never clears guesses at another's.
 */
interface Failure {
  at: number;
  /** The name typed, or null when there was none (a refused single sign-on). */
  name: string | null;
}

export class SignInLimit {
  private readonly failures = new Map<string, Failure[]>();

  constructor(
    private readonly max = 5,
    private readonly windowMs = 15 * 60_000,
    private readonly clock: () => number = Date.now,
  ) {}

  /** Seconds until this address may try again; 0 when it may now. */
  retryAfter(address: string): number {
    const recent = this.recent(address);
    if (recent.length < this.max) return 0;
    return Math.max(1, Math.ceil((recent[recent.length - this.max]!.at + this.windowMs - this.clock()) / 1000));
  }

  fail(address: string, name: string | null): void {
    this.failures.set(address, [...this.recent(address), { at: this.clock(), name }]);
  }

  /** `name` signed in from `address`: its own failures from there are forgotten, every other name's kept. */
  succeed(address: string, name: string): void {
    const kept = this.recent(address).filter((failure) => failure.name !== name);
    if (kept.length === 0) this.failures.delete(address);
    else this.failures.set(address, kept);
  }

  private recent(address: string): Failure[] {
    const since = this.clock() - this.windowMs;
    const recent = (this.failures.get(address) ?? []).filter((failure) => failure.at > since);
    if (recent.length === 0) this.failures.delete(address);
    else this.failures.set(address, recent);
    return recent;
  }
}
