/**
 * Sign-in attempts per client address: after `max` failures within
 * `windowMs`, every attempt from that address is refused (429) until the
 * oldest failure leaves the window, right password or not, so guessing is
 * bounded whatever the account.
 */
export class SignInLimit {
  private readonly failures = new Map<string, number[]>();

  constructor(
    private readonly max = 5,
    private readonly windowMs = 15 * 60_000,
    private readonly clock: () => number = Date.now,
  ) {}

  /** Seconds until this address may try again; 0 when it may now. */
  retryAfter(address: string): number {
    const recent = this.recent(address);
    if (recent.length < this.max) return 0;
    return Math.max(1, Math.ceil((recent[0]! + this.windowMs - this.clock()) / 1000));
  }

  fail(address: string): void {
    this.failures.set(address, [...this.recent(address), this.clock()]);
  }

  succeed(address: string): void {
    this.failures.delete(address);
  }

  private recent(address: string): number[] {
    const since = this.clock() - this.windowMs;
    const recent = (this.failures.get(address) ?? []).filter((at) => at > since);
    if (recent.length === 0) this.failures.delete(address);
    else this.failures.set(address, recent);
    return recent;
  }
}
