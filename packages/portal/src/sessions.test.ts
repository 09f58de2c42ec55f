/** Sessions end after their idle time and on sign-out; tokens compare exactly; sign-in failures per address are bounded. */
import { describe, expect, it } from '@jest/globals';
import { sameToken, SessionStore } from './sessions.js';
import { SignInLimit } from './sign-in-limit.js';

const clock = (start = 1_000_000) => {
  const state = { now: start };
  return { state, read: () => state.now };
};

describe('sessions', () => {
  it('find a live session by its id, with its own CSRF token, and restart its idle time on use', () => {
    const time = clock();
    const store = new SessionStore(60_000, time.read);
    const session = store.create('ann', 'auditor');
    expect(session.id).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(session.csrf).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(session.csrf).not.toBe(session.id);
    time.state.now += 59_000;
    expect(store.get(session.id)).toMatchObject({ user: 'ann', role: 'auditor' });
    time.state.now += 59_000;
    expect(store.get(session.id)?.user).toBe('ann');
    time.state.now += 60_001;
    expect(store.get(session.id)).toBeNull();
    expect(store.size).toBe(0);
  });

  it('end a day after sign-in however busy: an account taken away at the IdP does not keep its session by using it', () => {
    const time = clock();
    const store = new SessionStore(60_000, time.read);
    const session = store.create('ann', 'auditor', { via: 'oidc' });
    const signedIn = time.state.now;
    while (time.state.now - signedIn + 59_000 <= 24 * 3_600_000) {
      time.state.now += 59_000;
      expect(store.get(session.id)?.user).toBe('ann');
    }
    time.state.now = signedIn + 24 * 3_600_000 + 1;
    expect(store.get(session.id)).toBeNull();
    expect(store.size).toBe(0);
  });

  it('know no unknown, missing or destroyed id', () => {
    const store = new SessionStore(60_000);
    const session = store.create('bo', 'team');
    expect(store.get(undefined)).toBeNull();
    expect(store.get(`${session.id}x`)).toBeNull();
    store.destroy(session.id);
    expect(store.get(session.id)).toBeNull();
  });

  it('give every sign-in a new id', () => {
    const store = new SessionStore(60_000);
    const ids = new Set(Array.from({ length: 50 }, () => store.create('ann', 'admin').id));
    expect(ids.size).toBe(50);
  });

  it('compare tokens exactly, refusing missing and other values', () => {
    expect(sameToken('abc', 'abc')).toBe(true);
    expect(sameToken('abd', 'abc')).toBe(false);
    expect(sameToken('ab', 'abc')).toBe(false);
    expect(sameToken(undefined, 'abc')).toBe(false);
    expect(sameToken(['abc'], 'abc')).toBe(false);
    expect(sameToken('ébc', 'abc')).toBe(false);
  });
});

/** A sign-in attempt whose check answers at once: a failure, or a sign-in. */
const failed = (limit: SignInLimit, address: string, name: string | null) => limit.attempt(address, name, async () => false, (ok) => ok);
const signedIn = (limit: SignInLimit, address: string, name: string) => limit.attempt(address, name, async () => true, (ok) => ok);

describe('sign-in limit', () => {
  it('refuses an address after five failures until the first leaves the window, other addresses unaffected', async () => {
    const time = clock();
    const limit = new SignInLimit(5, 900_000, time.read);
    for (let i = 0; i < 5; i += 1) {
      expect(limit.retryAfter('10.0.0.1')).toBe(0);
      await failed(limit, '10.0.0.1', 'tom');
      time.state.now += 1_000;
    }
    expect(limit.retryAfter('10.0.0.1')).toBe(895);
    expect(await signedIn(limit, '10.0.0.1', 'tom')).toEqual({ retryAfter: 895 });
    expect(limit.retryAfter('10.0.0.2')).toBe(0);
    time.state.now += 895_000;
    expect(limit.retryAfter('10.0.0.1')).toBe(0);
  });

  it("forgets only the failures of the name that signs in, never another name's", async () => {
    const limit = new SignInLimit(3, 900_000);
    await failed(limit, 'a', 'ann');
    await failed(limit, 'a', 'admin');
    await signedIn(limit, 'a', 'ann');
    await failed(limit, 'a', 'admin');
    expect(limit.retryAfter('a')).toBe(0);
    await signedIn(limit, 'a', 'ann');
    await failed(limit, 'a', 'admin');
    expect(limit.retryAfter('a')).toBeGreaterThan(0);
  });

  it('lets a single sign-on (no name typed) forget the refused single sign-ons, never a wrong password', async () => {
    const limit = new SignInLimit(3, 900_000);
    const singleSignOn = () => limit.attempt('a', null, async () => true, (ok) => ok);
    await failed(limit, 'a', null);
    await failed(limit, 'a', null);
    expect(await singleSignOn()).toEqual({ result: true });
    await failed(limit, 'a', 'admin');
    await failed(limit, 'a', 'admin');
    expect(limit.retryAfter('a')).toBe(0);
    expect(await singleSignOn()).toEqual({ result: true });
    await failed(limit, 'a', 'admin');
    expect(limit.retryAfter('a')).toBeGreaterThan(0);
  });

  it('counts attempts in progress: past the limit a check does not start, and a throwing check is a failure', async () => {
    const limit = new SignInLimit(2, 900_000);
    const checks: Array<(ok: boolean) => void> = [];
    const slow = (name: string) => limit.attempt('a', name, () => new Promise<boolean>((resolve) => checks.push(resolve)), (ok) => ok);
    const first = slow('admin');
    const second = slow('ann');
    expect(await slow('admin')).toEqual({ retryAfter: 1 });
    expect(checks).toHaveLength(2);
    checks[0]!(false);
    checks[1]!(true);
    expect([await first, await second]).toEqual([{ result: false }, { result: true }]);
    // admin's failure stays; the check that throws is the second failure, and the limit is reached.
    expect(limit.retryAfter('a')).toBe(0);
    await expect(limit.attempt('a', 'ann', async () => Promise.reject(new Error('scrypt failed')), () => true)).rejects.toThrow('scrypt failed');
    expect(limit.retryAfter('a')).toBeGreaterThan(0);
  });
});
