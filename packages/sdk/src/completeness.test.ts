import { describe, expect, it } from '@jest/globals';
import { CompletenessLedger } from './completeness.js';

describe('CompletenessLedger item gaps', () => {
  it('keeps an item in scope when a later gap for it says out of scope, so the stream stays partial', () => {
    const ledger = new CompletenessLedger('access.account');
    ledger.itemGap({ item: 'user alice', reason: 'its keys answered 403', inScope: true });
    ledger.itemGap({ item: 'user alice', reason: 'suspended, not collected', inScope: false });
    expect(ledger.itemGaps()).toEqual([{ item: 'user alice', reason: 'its keys answered 403; suspended, not collected', inScope: true }]);
    expect(ledger.shortfall([])).toBe('1 in-scope item could not be read: user alice (its keys answered 403; suspended, not collected)');
  });

  it('makes an out-of-scope item in scope when a later gap says so, and does not repeat a reason given twice', () => {
    const ledger = new CompletenessLedger('access.account');
    ledger.itemGap({ item: 'user bob', reason: 'archived', inScope: false });
    ledger.itemGap({ item: 'user bob', reason: 'its groups answered 404', inScope: true });
    ledger.itemGap({ item: 'user bob', reason: 'its groups answered 404', inScope: true });
    expect(ledger.itemGaps()).toEqual([{ item: 'user bob', reason: 'archived; its groups answered 404', inScope: true }]);
    expect(ledger.shortfall([])).toMatch(/^1 in-scope item could not be read: user bob/);
  });

  it('is complete when every gap is out of scope and the totals match', () => {
    const ledger = new CompletenessLedger('access.account');
    ledger.reportTotal(1);
    ledger.itemGap({ item: 'user carol', reason: 'archived', inScope: false });
    expect(ledger.shortfall([{ kind: 'access.account', key: 'dave' }])).toBeNull();
  });
});
