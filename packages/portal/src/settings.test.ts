/** The portal: section's own checks: what the config says wrong is named with its path, before anything starts. */
import { describe, expect, it } from '@jest/globals';
import { PortalSettings } from './settings.js';

const problems = (value: object) => PortalSettings.safeParse(value).error?.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);

describe('portal settings', () => {
  it('take trustProxy as true, false, or proxy addresses and ranges, and refuse a host name or a bad range by its entry', () => {
    for (const trustProxy of [true, false, ['10.0.0.1'], ['10.0.0.0/8', '::1', 'fd00::/8', '192.168.0.0/255.255.0.0'], ['loopback', 'uniquelocal']]) expect(problems({ trustProxy })).toBeUndefined();
    expect(problems({ trustProxy: ['10.0.0.1', 'proxy.internal', '10.0.0.1/33', '::1/129'] })).toEqual([
      'trustProxy.1: proxy.internal: expected an IP address, a range (10.0.0.0/8, fd00::/8) or loopback, linklocal, uniquelocal',
      'trustProxy.2: 10.0.0.1/33: expected an IP address, a range (10.0.0.0/8, fd00::/8) or loopback, linklocal, uniquelocal',
      'trustProxy.3: ::1/129: expected an IP address, a range (10.0.0.0/8, fd00::/8) or loopback, linklocal, uniquelocal',
    ]);
  });
});
