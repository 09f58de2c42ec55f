import { describe, expect, it } from '@jest/globals';
import { judgingWaitFrom } from './start.js';

describe('the judging wait from the environment', () => {
  it('is unset by default, a whole number of milliseconds when given, and refused otherwise with the variable named', () => {
    expect(judgingWaitFrom({})).toBeUndefined();
    expect(judgingWaitFrom({ EVIDENTIA_PORTAL_JUDGING_WAIT_MS: '' })).toBeUndefined();
    expect(judgingWaitFrom({ EVIDENTIA_PORTAL_JUDGING_WAIT_MS: '0' })).toBe(0);
    expect(judgingWaitFrom({ EVIDENTIA_PORTAL_JUDGING_WAIT_MS: '30000' })).toBe(30_000);
    for (const bad of ['2s', '-1', '1.5', 'NaN']) {
      expect(() => judgingWaitFrom({ EVIDENTIA_PORTAL_JUDGING_WAIT_MS: bad })).toThrow(`EVIDENTIA_PORTAL_JUDGING_WAIT_MS=${bad}: expected a whole number of milliseconds`);
    }
  });
});
