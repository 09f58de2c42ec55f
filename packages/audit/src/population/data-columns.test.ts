import { describe, expect, it } from '@jest/globals';
import { dataDetails, dataSummary } from './data-columns.js';

describe("a connector's own kind's columns, from its data", () => {
  it('gives each top-level field a column, lists joined and nested values as JSON, and never overwrites a common column', () => {
    const data = { serial: 'C02X', encrypted: false, lockMinutes: 5, owner: null, tags: ['eng', null, 'laptop'], key: 'K-1', location: { site: 'Berlin' } };
    expect(dataDetails(data, new Set(['key', 'kind']))).toEqual({
      serial: 'C02X',
      encrypted: 'false',
      lockMinutes: '5',
      owner: '',
      tags: 'eng; laptop',
      'data.key': 'K-1',
      location: '{"site":"Berlin"}',
    });
  });

  it('summarizes an item by its first plain fields', () => {
    expect(dataSummary({ location: { site: 'x' }, serial: 'C02X', encrypted: true, platform: 'macOS', osVersion: '15', owner: 'ana' })).toBe('serial C02X · encrypted true · platform macOS · osVersion 15');
  });
});
