/** Exception notices: one per failing check with a few example items (accepted ones named so, still counted), and a failing channel never fails the check run. */
import { describe, expect, it } from '@jest/globals';
import type { AuditNotifier, ExceptionNotice } from '../notices.js';
import { exceptionNotices, notifyExceptions } from './notify.js';
import type { CheckOutcome, CheckRun } from './runner.js';

const outcome = (id: string, exceptions: number): CheckOutcome => ({
  id,
  title: `Title of ${id}`,
  description: '',
  criteria: ['CC8.1'],
  reads: ['change.request'],
  settings: {},
  counts: { pass: 1, exception: exceptions, 'not-assessable': 0, 'not-assessed': 0 },
  result: exceptions > 0 ? 'exceptions' : 'pass',
  findings: Array.from({ length: exceptions }, (_, index) => ({ item: `item-${index}`, system: null, status: 'exception' as const, reason: 'r', records: [] })),
  omitted: 0,
  error: null,
});

const run: CheckRun = { period: { since: new Date('2026-01-01'), until: new Date('2026-02-01') }, checks: [outcome('quiet', 0), outcome('noisy', 7)] };

describe('exception notices', () => {
  it('summarizes each failing check once, naming up to five items', async () => {
    expect(exceptionNotices(run)).toEqual([{ check: 'noisy', title: 'Title of noisy', exceptions: 7, examples: ['item-0', 'item-1', 'item-2', 'item-3', 'item-4'].map((item) => ({ item })) }]);
    const sent: ExceptionNotice[][] = [];
    const notifier: AuditNotifier = { gapsFound: async () => {}, exceptionsFound: async (notices) => void sent.push(notices) };
    await notifyExceptions(run, notifier);
    expect(sent).toHaveLength(1);
  });

  it('counts accepted exceptions as exceptions, names them accepted, and lists the open ones (a lapsed acceptance among them) first', () => {
    const mark = (id: number, status: 'accepted' | 'lapsed' | 'revoked') => ({ id, status, reason: 'r', approver: 'ciso@acme.example', until: '2026-06-30' });
    const check = outcome('mixed', 4);
    check.findings[0]!.acceptance = mark(1, 'accepted');
    check.findings[1]!.acceptance = mark(2, 'accepted');
    check.findings[2]!.acceptance = mark(3, 'lapsed');
    check.accepted = 2;
    const [notice] = exceptionNotices({ ...run, checks: [check] });
    expect(notice).toEqual({
      check: 'mixed',
      title: 'Title of mixed',
      exceptions: 4,
      accepted: 2,
      examples: [
        { item: 'item-2', acceptance: { id: 3, status: 'lapsed', until: '2026-06-30' } },
        { item: 'item-3' },
        { item: 'item-0', acceptance: { id: 1, status: 'accepted', until: '2026-06-30' } },
        { item: 'item-1', acceptance: { id: 2, status: 'accepted', until: '2026-06-30' } },
      ],
    });
  });

  it('never fails because the channel does', async () => {
    const broken: AuditNotifier = { gapsFound: async () => {}, exceptionsFound: async () => Promise.reject(new Error('slack is down')) };
    const original = process.stderr.write.bind(process.stderr);
    const written: string[] = [];
    process.stderr.write = ((text: string) => (written.push(text), true)) as typeof process.stderr.write;
    try {
      await expect(notifyExceptions(run, broken)).resolves.toBeUndefined();
    } finally {
      process.stderr.write = original;
    }
    expect(written.join('')).toContain('slack is down');
  });
});
