import { describe, it, expect } from '@jest/globals';
import { computeRequestLedger, type RequestDocument } from './ledger.js';
import { periodicWindows } from './windows.js';
import type { EvidenceRequest } from './types.js';

const request = (extra: Partial<EvidenceRequest>): EvidenceRequest => ({
  id: 'boundary-review',
  title: 'Firewall rules reviewed',
  criteria: ['CC6.6'],
  owner: 'infra',
  frequency: 'quarterly',
  dueDays: 0,
  graceDays: 14,
  starter: false,
  ...extra,
});

const doc = (sequence: number, effective: string, addedDay: string, extra: Partial<RequestDocument> = {}): RequestDocument => ({
  sequence,
  request: 'boundary-review',
  effective,
  addedDay,
  subject: null,
  supersededBy: null,
  ...extra,
});

describe('periodicWindows', () => {
  it('counts windows from the first day and cuts the last one at the period end', () => {
    expect(periodicWindows('quarterly', '2026-01-15', '2026-08-31')).toEqual([
      { from: '2026-01-15', to: '2026-04-14' },
      { from: '2026-04-15', to: '2026-07-14' },
      { from: '2026-07-15', to: '2026-08-31' },
    ]);
    expect(periodicWindows('monthly', '2026-01-31', '2026-03-31').map((window) => window.to)).toEqual(['2026-02-27', '2026-03-30', '2026-03-31']);
    expect(periodicWindows('yearly', '2026-01-01', '2026-06-30')).toEqual([{ from: '2026-01-01', to: '2026-06-30' }]);
    expect(periodicWindows('once', '2026-01-01', '2026-06-30')).toEqual([{ from: '2026-01-01', to: '2026-06-30' }]);
  });
});

describe('computeRequestLedger', () => {
  const base = { events: [], first: '2026-01-01', last: '2026-06-30', today: '2026-07-20' };

  it('judges each window: on time, late, overdue past its grace, open within it', () => {
    const ledger = computeRequestLedger({
      ...base,
      requests: [request({})],
      documents: [doc(1, '2026-03-10', '2026-03-12'), doc(2, '2026-06-01', '2026-07-01')],
      today: '2026-07-10',
    });
    const line = ledger.requests[0]!;
    expect(line.occurrences.map(({ label, status, deadline }) => [label, status, deadline])).toEqual([
      ['2026-01-01..2026-03-31', 'fulfilled', '2026-04-14'],
      ['2026-04-01..2026-06-30', 'fulfilled', '2026-07-14'],
    ]);
    const later = computeRequestLedger({ ...base, requests: [request({})], documents: [doc(1, '2026-03-10', '2026-04-20')] });
    expect(later.requests[0]!.occurrences.map(({ status, cause }) => [status, cause])).toEqual([
      ['late', 'document 1 was added 2026-04-20, after the deadline 2026-04-14'],
      ['overdue', 'no document effective 2026-04-01..2026-06-30; due 2026-06-30, overdue since 2026-07-15 (owner: infra)'],
    ]);
    expect(later.overdue).toBe(1);
    const early = computeRequestLedger({ ...base, requests: [request({})], documents: [], today: '2026-07-14' });
    expect(early.requests[0]!.occurrences.map((occurrence) => occurrence.status)).toEqual(['overdue', 'open']);
  });

  it('lets a correction answer and its superseded document answer nothing', () => {
    const documents = [doc(1, '2026-02-01', '2026-02-01', { supersededBy: 2 }), doc(2, '2026-05-01', '2026-05-02', { supersededBy: null })];
    const line = computeRequestLedger({ ...base, requests: [request({})], documents }).requests[0]!;
    expect(line.occurrences.map((occurrence) => [occurrence.status, occurrence.documents])).toEqual([
      ['overdue', []],
      ['fulfilled', [2]],
    ]);
    expect([line.expected, line.fulfilled, line.overdue]).toEqual([2, 1, 1]);
  });

  it('expects one document per personnel event, matched on the person, due days after it', () => {
    const checks = request({ id: 'background-checks', frequency: 'per-event', event: 'joiner', dueDays: 30, graceDays: 0 });
    const events = [
      { type: 'joiner', day: '2026-02-02', person: ['ada@example.com', 'ada'] },
      { type: 'leaver', day: '2026-03-01', person: ['bob@example.com'] },
      { type: 'joiner', day: '2026-06-29', person: ['cy@example.com'] },
      { type: 'joiner', day: '2026-04-01', person: ['dee@example.com'] },
    ];
    const documents = [doc(1, '2026-02-02', '2026-02-03', { request: 'background-checks', subject: 'Ada@Example.com' })];
    const line = computeRequestLedger({ ...base, requests: [checks], events, documents }).requests[0]!;
    expect(line.occurrences.map(({ label, status }) => [label, status])).toEqual([
      ['joiner ada@example.com on 2026-02-02', 'fulfilled'],
      ['joiner cy@example.com on 2026-06-29', 'open'],
      ['joiner dee@example.com on 2026-04-01', 'overdue'],
    ]);
  });

  it('says a per-event request cannot be judged when no configured stream collects personnel events, instead of expecting nothing', () => {
    const checks = request({ id: 'background-checks', frequency: 'per-event', event: 'joiner', dueDays: 30, graceDays: 0 });
    const unwatched = computeRequestLedger({ ...base, requests: [checks, request({})], documents: [], personnelStreams: [] });
    expect(unwatched.requests[0]).toMatchObject({ expected: 0, unwatched: 'no configured stream collects personnel.event records: no joiner of the period can be told, so none is expected (configure an HR or directory connector, or switch the request off: requests.items.background-checks.enabled: false)' });
    // Events the locker holds from a stream no longer configured are still expected, but not as all of the period's.
    const held = computeRequestLedger({ ...base, requests: [checks], events: [{ type: 'joiner', day: '2026-02-02', person: ['ada@example.com'] }], documents: [], personnelStreams: [] });
    expect(held.requests[0]).toMatchObject({ expected: 1, unwatched: expect.stringContaining(': only the 1 joiner(s) the locker already holds are expected, and others of the period cannot be told (') });
    // A periodic request needs no event.
    expect(unwatched.requests[1]!.unwatched).toBeUndefined();
    const watched = computeRequestLedger({ ...base, requests: [checks], documents: [], personnelStreams: ['hr/lifecycle'] });
    expect(watched.requests[0]!.unwatched).toBeUndefined();
  });

  it('does not let one document whose subject is a name answer two people of that name (told apart by their emails)', () => {
    const checks = request({ id: 'background-checks', frequency: 'per-event', event: 'joiner', dueDays: 30, graceDays: 0 });
    const events = [
      { type: 'joiner', day: '2026-03-02', person: ['sam.lee@acme.example', 'sam lee'], ids: ['sam.lee@acme.example'] },
      { type: 'joiner', day: '2026-03-09', person: ['slee2@acme.example', 'sam lee'], ids: ['slee2@acme.example'] },
    ];
    // One check, for "Sam Lee", added between the two start days: whose is it?
    const byName = [doc(1, '2026-03-05', '2026-03-05', { request: 'background-checks', subject: 'Sam Lee' })];
    const line = computeRequestLedger({ ...base, requests: [checks], events, documents: byName }).requests[0]!;
    expect(line.occurrences.map(({ status, documents: answering }) => [status, answering])).toEqual([
      ['overdue', []],
      ['overdue', []],
    ]);
    expect(line.occurrences[0]!.cause).toContain('; its subject is a name that more than one person of the period has, so not counted: document 1 (sam lee); give their email or id');
    // By email each check answers its own hire, the other Sam Lee's start day no bound on it.
    const byEmail = [doc(1, '2026-03-01', '2026-03-01', { request: 'background-checks', subject: 'sam.lee@acme.example' }), doc(2, '2026-03-01', '2026-03-01', { request: 'background-checks', subject: 'slee2@acme.example' })];
    const both = computeRequestLedger({ ...base, requests: [checks], events, documents: byEmail }).requests[0]!;
    expect(both.occurrences.map(({ status, documents: answering }) => [status, answering])).toEqual([
      ['fulfilled', [1]],
      ['fulfilled', [2]],
    ]);
  });

  it('matches a per-event document whose subject was given with surrounding spaces (a pasted address) to its person', () => {
    const checks = request({ id: 'background-checks', frequency: 'per-event', event: 'joiner', dueDays: 30, graceDays: 0 });
    const events = [{ type: 'joiner', day: '2026-04-01', person: ['dee@example.com'] }];
    const documents = [doc(1, '2026-04-01', '2026-04-02', { request: 'background-checks', subject: ' Dee@example.com\t' })];
    const line = computeRequestLedger({ ...base, requests: [checks], events, documents }).requests[0]!;
    expect(line.occurrences.map(({ label, status, documents: answering }) => [label, status, answering])).toEqual([['joiner dee@example.com on 2026-04-01', 'fulfilled', [1]]]);
  });

  it('counts a window fulfilled only by a document added on or after its first day, and one added after its deadline as late', () => {
    // Four quarters' documents added on one day of the first quarter: the later quarters had not begun.
    const year = { ...base, first: '2026-01-01', last: '2026-12-31', today: '2027-01-20' };
    const ahead = ['2026-03-15', '2026-06-15', '2026-09-15', '2026-12-15'].map((effective, index) => doc(index + 1, effective, '2026-02-01'));
    const line = computeRequestLedger({ ...year, requests: [request({})], documents: ahead }).requests[0]!;
    expect(line.occurrences.map(({ status, documents }) => [status, documents])).toEqual([
      ['fulfilled', [1]],
      ['overdue', []],
      ['overdue', []],
      ['overdue', []],
    ]);
    expect(line.occurrences[1]!.cause).toBe('no document effective 2026-04-01..2026-06-30; due 2026-06-30, overdue since 2026-07-15 (owner: infra); added before 2026-04-01, so not counted: document 2 (2026-02-01)');
    expect([line.fulfilled, line.overdue]).toEqual([1, 3]);
    // Added on the window's first day counts; added in the next window, past the deadline, is late, as before.
    const inWindow = computeRequestLedger({ ...year, requests: [request({})], documents: [doc(1, '2026-04-01', '2026-04-01'), doc(2, '2026-09-30', '2026-10-20')] });
    expect(inWindow.requests[0]!.occurrences.map(({ status, cause }) => [status, cause])).toEqual([
      ['overdue', 'no document effective 2026-01-01..2026-03-31; due 2026-03-31, overdue since 2026-04-15 (owner: infra)'],
      ['fulfilled', null],
      ['late', 'document 2 was added 2026-10-20, after the deadline 2026-10-14'],
      ['overdue', 'no document effective 2026-10-01..2026-12-31; due 2026-12-31, overdue since 2027-01-15 (owner: infra)'],
    ]);
  });

  it('counts a per-event document added before the event (a check before the start day), but not one from before the person\'s previous event: an earlier hire\'s check does not answer a re-hire', () => {
    const checks = request({ id: 'background-checks', frequency: 'per-event', event: 'joiner', dueDays: 30, graceDays: 0 });
    const events = [
      { type: 'joiner', day: '2026-01-05', person: ['ada@example.com'] },
      { type: 'joiner', day: '2026-05-04', person: ['ada@example.com'] },
    ];
    // Ada's first check was done the week before she started.
    const documents = [doc(1, '2025-12-29', '2025-12-29', { request: 'background-checks', subject: 'ada@example.com' })];
    const line = computeRequestLedger({ ...base, requests: [checks], events, documents }).requests[0]!;
    expect(line.occurrences.map(({ label, status, documents: answering, cause }) => [label, status, answering, cause])).toEqual([
      ['joiner ada@example.com on 2026-01-05', 'fulfilled', [1], null],
      ['joiner ada@example.com on 2026-05-04', 'overdue', [], "no document for joiner ada@example.com on 2026-05-04; due 2026-06-03, overdue since 2026-06-04 (owner: infra); added before the person's previous joiner (2026-01-05), so not counted: document 1 (2025-12-29)"],
    ]);
    // A check done before the re-hire, after the first hire, answers the re-hire.
    const again = computeRequestLedger({ ...base, requests: [checks], events, documents: [...documents, doc(2, '2026-04-27', '2026-04-27', { request: 'background-checks', subject: 'ada@example.com' })] }).requests[0]!;
    expect(again.occurrences.map(({ status, documents: answering }) => [status, answering])).toEqual([
      ['fulfilled', [1, 2]],
      ['fulfilled', [2]],
    ]);
    // A check added only after the re-hire is the re-hire's: the first hire, never checked, stays overdue rather than late.
    const afterRehire = computeRequestLedger({ ...base, requests: [checks], events, documents: [doc(3, '2026-05-10', '2026-05-10', { request: 'background-checks', subject: 'ada@example.com' })] }).requests[0]!;
    expect(afterRehire.occurrences.map(({ status, documents: answering, cause }) => [status, answering, cause])).toEqual([
      ['overdue', [], "no document for joiner ada@example.com on 2026-01-05; due 2026-02-04, overdue since 2026-02-05 (owner: infra); added on or after the person's next joiner (2026-05-04), so counted for that one: document 3 (2026-05-10)"],
      ['fulfilled', [3], null],
    ]);
  });

  it('holds a once request to its due day', () => {
    const once = request({ frequency: 'once', due: '2026-02-15', graceDays: 0 });
    const line = computeRequestLedger({ ...base, requests: [once], documents: [] }).requests[0]!;
    expect(line.occurrences).toEqual([
      expect.objectContaining({ label: '2026-01-01..2026-06-30', due: '2026-02-15', status: 'overdue', cause: 'no document effective 2026-01-01..2026-06-30; due 2026-02-15, overdue since 2026-02-16 (owner: infra)' }),
    ]);
  });
});

describe('due days at the end of the calendar', () => {
  it('keeps a request due on 9999-12-31 with grace days open, and a per-event request given a huge dueDays open, never overdue or a crash', () => {
    const ledger = computeRequestLedger({
      requests: [request({ id: 'far', frequency: 'once', due: '9999-12-31', graceDays: 14 }), request({ id: 'hires', frequency: 'per-event', event: 'joiner', dueDays: 1_000_000_000 })],
      documents: [],
      events: [{ type: 'joiner', day: '2026-03-02', person: ['ada@acme.example'] }],
      first: '2026-01-01',
      last: '2026-06-30',
      today: '2026-06-30',
    });
    expect(ledger.requests.map((line) => line.occurrences.map((occurrence) => [occurrence.status, occurrence.due, occurrence.deadline]))).toEqual([
      [['open', '9999-12-31', '9999-12-31']],
      [['open', '9999-12-31', '9999-12-31']],
    ]);
    expect(ledger.overdue).toBe(0);
  });
});
