/**
 * Sign-in attempts per client address: after `max` failures within
 * `windowMs`, every attempt from that address is refused (429) until the
 * oldest failure leaves the window, right password or not, so guessing is
 * bounded whatever the account. An attempt counts from before its slow
 * check (scrypt, the IdP's token endpoint) starts: otherwise parallel
 * requests would all pass the limit before the first failure is recorded.
 * Each failure keeps the name it was for: a sign-in forgets only its own
 * name's failures from that address (a single sign-on, which types no
 * name, only the refused single sign-ons), so one account's success never
 * clears guesses at another's.
 */
interface Failure {
  at: number;
  /** The name typed, or null when there was none (a refused single sign-on). */
  name: string | null;
}

export type SignInAttempt<T> = { result: T } | { retryAfter: number };

export class SignInLimit {
  private readonly failures = new Map<string, Failure[]>();
  private readonly inProgress = new Map<string, number>();

  constructor(
    private readonly max = 5,
    private readonly windowMs = 15 * 60_000,
    private readonly clock: () => number = Date.now,
  ) {}

  /** Seconds until this address may try again (its attempts in progress counted as failures); 0 when it may now. */
  retryAfter(address: string): number {
    const recent = this.recent(address);
    const counted = recent.length + (this.inProgress.get(address) ?? 0);
    if (counted < this.max) return 0;
    // The failure whose leaving the window lets one more attempt in; none when attempts in progress fill the limit, and they take about a second.
    const leaving = recent[counted - this.max];
    return leaving ? Math.max(1, Math.ceil((leaving.at + this.windowMs - this.clock()) / 1000)) : 1;
  }

  /**
   * One sign-in attempt from `address` for `name` (null: none typed): `check`
   * runs only when the address may try now, counted as a failure until
   * `signedIn` says its result is a sign-in (a throw is a failure). Answers
   * the check's result, or the seconds to wait.
   */
  async attempt<T>(address: string, name: string | null, check: () => Promise<T>, signedIn: (result: T) => boolean): Promise<SignInAttempt<T>> {
    const wait = this.retryAfter(address);
    if (wait > 0) return { retryAfter: wait };
    this.inProgress.set(address, (this.inProgress.get(address) ?? 0) + 1);
    let succeeded = false;
    try {
      const result = await check();
      succeeded = signedIn(result);
      return { result };
    } finally {
      const left = this.inProgress.get(address)! - 1;
      if (left === 0) this.inProgress.delete(address);
      else this.inProgress.set(address, left);
      if (!succeeded) this.failures.set(address, [...this.recent(address), { at: this.clock(), name }]);
      else this.forget(address, name);
    }
  }

  private forget(address: string, name: string | null): void {
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
