/**
 * Reading an earlier ListAccessKeys answer back: only an answer for the same
 * user, whole and in the shape AWS sends, names keys; anything else is not
 * one (and costs a fresh request).
 */
import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { accessKeysOf } from './access-key-ids.js';
import { fixturePath } from './test-support.js';

const answer = (inner: string) =>
  `<ListAccessKeysResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/">\n  <ListAccessKeysResult>\n    <UserName>bob</UserName>\n    ${inner}\n  </ListAccessKeysResult>\n  <ResponseMetadata><RequestId>1</RequestId></ResponseMetadata>\n</ListAccessKeysResponse>\n`;
const member = (user: string, id: string, created: string) => `<member><UserName>${user}</UserName><AccessKeyId>${id}</AccessKeyId><Status>Active</Status><CreateDate>${created}</CreateDate></member>`;

describe('accessKeysOf', () => {
  it('lists the keys of a recorded answer as AWS sent it (the fixture account)', () => {
    const cassette = JSON.parse(readFileSync(fixturePath('iam-users.json'), 'utf8')) as { interactions: Array<{ request: { body?: string }; response: { body: string } }> };
    const alice = cassette.interactions.find((i) => i.request.body?.includes('Action=ListAccessKeys') && i.request.body.includes('UserName=alice'))!;
    expect(accessKeysOf(alice.response.body, 'alice')).toEqual([{ AccessKeyId: 'AKIAEXAMPLEALICE0A1B', CreateDate: '2026-05-01T09:00:00Z' }]);
  });

  it('reads two keys, an empty list, whitespace and escaped names', () => {
    const two = answer(`<AccessKeyMetadata>\n  ${member('a&amp;b', 'AKIAONE00000000001A', '2026-01-01T00:00:00Z')}\n  ${member('a&amp;b', 'AKIATWO00000000002B', '2026-02-01T00:00:00Z')}\n</AccessKeyMetadata><IsTruncated>false</IsTruncated>`);
    expect(accessKeysOf(two, 'a&b')?.map((k) => k.AccessKeyId)).toEqual(['AKIAONE00000000001A', 'AKIATWO00000000002B']);
    expect(accessKeysOf(answer('<AccessKeyMetadata/><IsTruncated>false</IsTruncated>'), 'bob')).toEqual([]);
    expect(accessKeysOf(answer('<AccessKeyMetadata></AccessKeyMetadata><IsTruncated>false</IsTruncated>'), 'bob')).toEqual([]);
  });

  it('is not an answer for this user when it is another action, truncated, another user\'s, or of a shape it does not know', () => {
    const keys = `<AccessKeyMetadata>${member('bob', 'AKIABOB0000000000001', '2026-01-01T00:00:00Z')}</AccessKeyMetadata>`;
    expect(accessKeysOf(answer(`${keys}<IsTruncated>false</IsTruncated>`), 'bob')).toHaveLength(1);
    // Another user's keys, a truncated list, a missing IsTruncated.
    expect(accessKeysOf(answer(`${keys}<IsTruncated>false</IsTruncated>`), 'alice')).toBeNull();
    expect(accessKeysOf(answer(`${keys}<IsTruncated>true</IsTruncated><Marker>m</Marker>`), 'bob')).toBeNull();
    expect(accessKeysOf(answer(keys), 'bob')).toBeNull();
    // Another action's answer (the credential report, a users page), a JSON body, nothing.
    expect(accessKeysOf(answer(`${keys}<IsTruncated>false</IsTruncated>`).replaceAll('ListAccessKeys', 'GetCredentialReport'), 'bob')).toBeNull();
    expect(accessKeysOf({ AccessKeyMetadata: [] }, 'bob')).toBeNull();
    expect(accessKeysOf(undefined, 'bob')).toBeNull();
    // Something between the members, a member without a creation time or with a bad one, an ID that is not one.
    expect(accessKeysOf(answer(`<AccessKeyMetadata>${member('bob', 'AKIABOB0000000000001', '2026-01-01T00:00:00Z')}<extra/></AccessKeyMetadata><IsTruncated>false</IsTruncated>`), 'bob')).toBeNull();
    expect(accessKeysOf(answer(`<AccessKeyMetadata><member><UserName>bob</UserName><AccessKeyId>AKIABOB0000000000001</AccessKeyId></member></AccessKeyMetadata><IsTruncated>false</IsTruncated>`), 'bob')).toBeNull();
    expect(accessKeysOf(answer(`<AccessKeyMetadata>${member('bob', 'AKIABOB0000000000001', 'yesterday')}</AccessKeyMetadata><IsTruncated>false</IsTruncated>`), 'bob')).toBeNull();
    expect(accessKeysOf(answer(`<AccessKeyMetadata>${member('bob', 'AK-1', '2026-01-01T00:00:00Z')}</AccessKeyMetadata><IsTruncated>false</IsTruncated>`), 'bob')).toBeNull();
  });
});
