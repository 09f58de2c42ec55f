import { describe, it, expect } from '@jest/globals';
import { Redactor } from './redact.js';

describe('Redactor', () => {
  it('replaces emails deterministically, ignoring case, and leaves example.com placeholders alone', () => {
    const redactor = new Redactor();
    expect(redactor.text('a@corp.io, B@Corp.io, A@CORP.IO, user9@example.com')).toBe('user1@example.com, user2@example.com, user1@example.com, user9@example.com');
  });

  it('replaces values of person keys, in any spelling, and everything nested under them', () => {
    const redactor = new Redactor();
    const body = {
      login: 'octocat',
      displayName: 'Mona',
      profile: { real_name: 'Mona', 'full-name': 'Mona L', email: 'not an address', title: 'Engineer' },
      name: { givenName: 'Mona', familyName: 'Lisa' },
      repositories: [{ name: null }],
    };
    expect(redactor.response(body)).toEqual({
      login: 'octocat',
      displayName: 'Person 1',
      profile: { real_name: 'Person 1', 'full-name': 'Person 2', email: 'user1@example.com', title: 'Engineer' },
      name: { givenName: 'Person 1', familyName: 'Person 3' },
      repositories: [{ name: null }],
    });
  });

  it('takes the person keys from the options', () => {
    const redactor = new Redactor({ personKeys: ['owner', 'phone'] });
    expect(redactor.response({ name: 'api', owner: 'Mona', phone: '+1 555 0100' })).toEqual({ name: 'api', owner: 'Person 1', phone: 'Person 2' });
  });

  it('maps IP addresses to documentation ranges and leaves times and documentation addresses alone', () => {
    const redactor = new Redactor();
    expect(redactor.text('from 81.2.69.160 and 10.0.0.1, again 81.2.69.160; 2a00:1450::200e at 12:30:45; 192.0.2.55; version 1.2.3')).toBe(
      'from 192.0.2.1 and 192.0.2.2, again 192.0.2.1; 2001:db8::3 at 12:30:45; 192.0.2.55; version 1.2.3',
    );
  });

  it('replaces a name in a request only when a response already introduced it', () => {
    const redactor = new Redactor();
    redactor.response({ name: 'Platform Team' });
    expect(redactor.request('Platform Team')).toBe('Person 1');
    expect(redactor.request('members')).toBe('members');
    expect(redactor.requestBody({ team: 'Platform Team', who: 'x@corp.io' })).toEqual({ team: 'Person 1', who: 'user1@example.com' });
  });
});
