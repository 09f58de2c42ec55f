/**
 * The coverage notes of `check`: a stream a check judged, with open gaps in
 * the period, is named with its gaps and the checks that judged it; closed
 * gaps, unjudged streams and streams without gaps say nothing.
 */
import { describe, expect, it } from '@jest/globals';
import { computeLedger } from '../coverage/ledger.js';
import { planOf, simulate, type SimulatedStream } from '../coverage/history.test-support.js';
import { coverageNoteLines, coverageNotes, renderCoverageNote } from './coverage-notes.js';

const MEMBERS: SimulatedStream = { id: 'github/members', type: 'state', controls: ['CC6.1'] };
const PULLS: SimulatedStream = { id: 'github/pull_requests', type: 'event', controls: ['CC8.1'] };
const TICKETS: SimulatedStream = { id: 'jira/changes', type: 'event', controls: ['CC8.1'] };
const H1 = { since: new Date('2026-01-01T00:00:00Z'), until: new Date('2026-07-01T00:00:00Z') };
const streams = [MEMBERS, PULLS, TICKETS];

describe('coverage notes of check', () => {
  // Pull requests fail through February and March (the cursor keeps the range, so the next success covers it: a closed gap);
  // the members inventory fails for a week in May (an open gap: inventories cannot be taken afterwards); tickets run throughout.
  const history = simulate({
    streams,
    from: new Date('2025-12-20T00:00:00Z'),
    until: new Date('2026-07-02T00:00:00Z'),
    fail: (stream, at) => (stream === 'github/pull_requests' && at >= new Date('2026-02-01T00:00:00Z') && at < new Date('2026-04-01T00:00:00Z')) || (stream === 'github/members' && at >= new Date('2026-05-10T00:00:00Z') && at < new Date('2026-05-18T00:00:00Z')) ? 'HTTP 502' : null,
  });
  const ledger = computeLedger({ period: H1, now: new Date('2026-07-02T00:00:00Z'), streams: streams.map(planOf), downtimes: history.downtimes }, history.facts);
  const checks = [
    { id: 'mfa-enabled', streams: ['github/members'] },
    { id: 'pull-request-approved', streams: ['github/pull_requests'] },
    { id: 'change-ticket-approved', streams: ['github/pull_requests', 'jira/changes'] },
    { id: 'outside-collaborator-access', streams: ['github/members'] },
    { id: 'built-by-hand', streams: undefined },
  ];

  it('names each judged stream with an open gap, its gaps and the checks that judged it', () => {
    const notes = coverageNotes(checks, ledger);
    expect(notes.map(({ stream, checks: judged }) => [stream, judged])).toEqual([['github/members', ['mfa-enabled', 'outside-collaborator-access']]]);
    // Stale 36 hours after the last inventory before the failures, until the next one.
    expect(notes[0]!.gaps).toEqual(['2026-05-10T14:00Z..2026-05-18T02:00Z']);
    expect(renderCoverageNote(notes[0]!)).toBe('note: github/members has 1 open coverage gap in the period (2026-05-10T14:00Z..2026-05-18T02:00Z): mfa-enabled, outside-collaborator-access judged only what was collected, not that time (see coverage)');
  });

  it('says nothing for a stream no check judged, or for checks built without the runner', () => {
    expect(coverageNotes([{ id: 'pull-request-approved', streams: ['github/pull_requests'] }, { id: 'built-by-hand' }], ledger)).toEqual([]);
  });

  it('lists the first three gaps and counts the rest', () => {
    const note = { stream: 'aws/iam_users', gaps: ['a..b', 'c..d', 'e..f', 'g..h', 'i..j'], checks: ['access-keys'] };
    expect(renderCoverageNote(note)).toBe('note: aws/iam_users has 5 open coverage gaps in the period (a..b, c..d, e..f, and 2 more): access-keys judged only what was collected, not that time (see coverage)');
  });

  it('prints up to three streams one per line, and more as one line naming them', () => {
    const note = (stream: string, checks: string[]) => ({ stream, gaps: ['2026-04-02T00:00Z..2026-12-07T03:09Z'], checks });
    const three = [note('aws/iam_users', ['mfa-enabled']), note('github/members', ['mfa-enabled']), note('jira/changes', ['change-ticket-approved'])];
    expect(coverageNoteLines(three)).toEqual(three.map(renderCoverageNote));
    expect(coverageNoteLines([...three, note('slack/users', ['mfa-enabled', 'accounts-have-owner'])])).toEqual([
      'note: 4 streams the checks judged have open coverage gaps in the period (aws/iam_users, github/members, jira/changes, slack/users): 3 check(s) judged only what was collected, not that time (see coverage)',
    ]);
  });
});
