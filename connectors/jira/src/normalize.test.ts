/**
 * The pure rules under the records: resolving mapped fields by id or name,
 * reading status changes from a changelog (including an item without its own
 * `toString`), first and last entries into a status set, and reading field
 * values (users, options, dates, rich text) with errors that name the setting.
 */
import { describe, expect, it } from '@jest/globals';
import { firstEntry, lastEntry, statusChanges, statusSet } from './changelog.js';
import { dateIn, labelsIn, referenceIn, usersIn } from './field-values.js';
import { resolveField, resolveMapping } from './fields.js';
import { History, type SiteField } from './schema.js';

const SITE = 'https://acme.atlassian.net';
const fields: SiteField[] = [
  { id: 'priority', name: 'Priority', custom: false },
  { id: 'customfield_10050', name: 'Approvers', custom: true },
  { id: 'customfield_10060', name: 'Severity', custom: true },
  { id: 'customfield_10061', name: 'Severity', custom: true },
];

describe('resolving mapped fields', () => {
  it('finds a field by id or by name, without case', () => {
    expect(resolveField(fields, { setting: 's', ref: 'customfield_10050' }, SITE)).toMatchObject({ ok: true, field: { name: 'Approvers' } });
    expect(resolveField(fields, { setting: 's', ref: 'approvers' }, SITE)).toMatchObject({ ok: true, field: { id: 'customfield_10050' } });
    expect(resolveField(fields, { setting: 's', ref: 'Priority' }, SITE)).toMatchObject({ ok: true, field: { id: 'priority' } });
  });

  it('refuses a name two fields share, and names every missing field', () => {
    expect(resolveField(fields, { setting: 'streams.incidents.severityField', ref: 'Severity' }, SITE)).toMatchObject({
      ok: false,
      problem: "field name 'Severity' named in streams.incidents.severityField is shared by customfield_10060, customfield_10061 on https://acme.atlassian.net; name the field by its id",
    });
    expect(() => resolveMapping(fields, [{ setting: 'a', ref: 'Nope' }, { setting: 'b', ref: 'customfield_1' }], SITE)).toThrow(
      "field 'Nope' named in a does not exist on https://acme.atlassian.net; doctor lists the fields; field customfield_1 named in b does not exist",
    );
  });
});

const move = (id: string, at: string, from: string, to: string, extra: Record<string, unknown> = {}) =>
  History.parse({ id, created: at, author: { accountId: `u-${id}`, accountType: 'atlassian' }, items: [{ field: 'status', fieldtype: 'jira', fieldId: 'status', from: null, fromString: from, to: null, toString: to, ...extra }] });

describe('status changes', () => {
  const done = statusSet(['Done', 'deployed']);
  const histories = [
    move('3', '2026-05-03T10:00:00.000+0200', 'In Progress', 'Done'),
    move('1', '2026-05-01T10:00:00.000+0000', 'Open', 'Deployed'),
    move('2', '2026-05-02T10:00:00.000+0000', 'Deployed', 'In Progress'),
  ];

  it('orders the changes by time and reads offsets without a colon', () => {
    expect(statusChanges(histories).map((c) => `${c.at} ${c.from.name}→${c.to.name}`)).toEqual([
      '2026-05-01T10:00:00.000Z Open→Deployed',
      '2026-05-02T10:00:00.000Z Deployed→In Progress',
      '2026-05-03T08:00:00.000Z In Progress→Done',
    ]);
  });

  it('takes the first entry whatever happened later, the last only while the ticket is still in the set', () => {
    const changes = statusChanges(histories);
    expect(firstEntry(changes, done, { id: null, name: 'Done' }, null)?.at).toBe('2026-05-01T10:00:00.000Z');
    expect(lastEntry(changes, done, { id: null, name: 'Done' }, null)).toEqual({ at: '2026-05-03T08:00:00.000Z', by: expect.objectContaining({ login: 'u-3' }) });
    expect(lastEntry(changes, done, { id: null, name: 'Reopened' }, '2026-05-03T08:00:00.000+0000')).toBeNull();
    expect(lastEntry([], done, { id: null, name: 'Done' }, '2026-05-09T08:00:00.000+0000')).toEqual({ at: '2026-05-09T08:00:00.000Z', by: null });
  });

  it('reads a changelog item that lacks its own toString as no new value, not a function', () => {
    const history = History.parse({ id: '9', created: '2026-05-01T10:00:00.000+0000', items: [{ field: 'status', fieldId: 'status', from: '1', fromString: 'Open', to: '3' }] });
    expect(statusChanges([history])[0]).toMatchObject({ actor: null, from: { id: '1', name: 'Open' }, to: { id: '3', name: null } });
    expect(statusSet(['3'])({ id: '3', name: null })).toBe(true);
  });
});

describe('field values', () => {
  it('reads users, options and labels, and names the setting when the shape is wrong', () => {
    expect(usersIn({ accountId: 'a1', displayName: 'Carol', accountType: 'app' }, 'w')).toEqual([{ login: 'a1', email: null, name: 'Carol', bot: true }]);
    expect(labelsIn([{ value: 'Yes', id: '1' }, { name: 'High' }, 'x', true], 'w')).toEqual(['Yes', 'High', 'x', 'true']);
    expect(() => usersIn('carol@example.com', 'streams.changes.approverField (customfield_10050 \'Approvers\') on CHG-1')).toThrow(
      "streams.changes.approverField (customfield_10050 'Approvers') on CHG-1 holds a string where a user or a list of users was expected",
    );
  });

  it('reads dates as midnight UTC and date-times as instants', () => {
    expect(dateIn('2026-05-29', 'w')).toBe('2026-05-29T00:00:00.000Z');
    expect(dateIn('2026-05-29T17:00:00.000-0400', 'w')).toBe('2026-05-29T21:00:00.000Z');
    expect(dateIn(null, 'w')).toBeNull();
    expect(() => dateIn('last friday', 'w')).toThrow('w holds "last friday" where a date was expected');
  });

  it('reads a reference from text or rich text, preferring a link', () => {
    expect(referenceIn(' https://wiki.example.com/pm/1 ', 'w')).toBe('https://wiki.example.com/pm/1');
    const adf = { type: 'doc', version: 1, content: [{ type: 'paragraph', content: [{ type: 'text', text: 'See ' }, { type: 'inlineCard', attrs: { url: 'https://wiki.example.com/pm/2' } }] }] };
    expect(referenceIn(adf, 'w')).toBe('https://wiki.example.com/pm/2');
    expect(referenceIn({ type: 'doc', content: [{ type: 'paragraph', content: [{ type: 'text', text: 'Written up in the  ops review' }] }] }, 'w')).toBe('Written up in the ops review');
    expect(referenceIn({ type: 'doc', content: [] }, 'w')).toBeNull();
  });
});
