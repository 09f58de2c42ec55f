import { describe, expect, it } from '@jest/globals';
import { contentUuid, isToken, markupText, plainText, stableUuid, tokenId, uuidV5 } from './datatypes.js';

describe('OSCAL datatypes', () => {
  it('keeps IDs that are tokens and prefixes the others with the framework', () => {
    expect(tokenId('soc2', 'CC6.1')).toBe('CC6.1');
    expect(tokenId('iso27001', 'A.8.32')).toBe('A.8.32');
    expect(tokenId('c5', 'IDM-02')).toBe('IDM-02');
    expect(tokenId('iso27001', '4.1')).toBe('iso27001-4.1');
    expect(tokenId('iso27001', '10')).toBe('iso27001-10');
    for (const id of ['CC6.1', 'iso27001-4.1', '_x', 'Ä.1']) expect(isToken(id)).toBe(true);
    for (const id of ['4.1', '-a', 'a b', 'a/b', '']) expect(isToken(id)).toBe(false);
  });

  it('derives version 5 UUIDs as RFC 4122 does', () => {
    // The DNS namespace and "www.example.com": the v5 value other implementations give.
    expect(uuidV5('6ba7b810-9dad-11d1-80b4-00c04fd430c8', 'www.example.com')).toBe('2ed6657d-e927-568b-95e1-2665a8aea6a2');
    expect(stableUuid('a', 'b')).toBe(stableUuid('a', 'b'));
    expect(stableUuid('a', 'b')).not.toBe(stableUuid('a', 'c'));
    expect(contentUuid('catalog', { x: 1 })).not.toBe(contentUuid('catalog', { x: 2 }));
  });

  it('makes text from evidence inert in Markdown fields', () => {
    const hostile = '[click](https://evil.example) <img src=x onerror=alert(1)> **bold** `code` {{ insert: param, x }} www.evil.example a@b.example';
    const text = markupText(hostile);
    expect(text).not.toMatch(/(^|[^\\])[[\]<>`*{}@]/);
    expect(text).toContain('https\\://evil.example');
    expect(text).toContain('www\\.evil.example');
    expect(markupText('# heading\n- item')).toBe('\\# heading - item');
    expect(markupText('- item')).toBe('\\- item');
    expect(markupText('1. first')).toBe('1\\. first');
    expect(markupText(' \n ')).toBe('(none)');
  });

  it('keeps plain strings on one line without surrounding whitespace', () => {
    expect(plainText('  a\n\tb  ')).toBe('a b');
  });
});
