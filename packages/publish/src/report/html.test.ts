/** The one escaping function and the html template every report part is built with. */
import { describe, expect, it } from '@jest/globals';
import { escapeHtml, html } from './html.js';

describe('escaping evidence into HTML', () => {
  it('escapes the five characters that can change HTML structure', () => {
    expect(escapeHtml(`<script>alert("x")</script> & 'y'`)).toBe('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;y&#39;');
    expect(escapeHtml(null)).toBe('');
    expect(escapeHtml(42)).toBe('42');
  });

  it('shows the bidi controls of evidence as visible escapes, so a title cannot reorder what the report says', () => {
    const title = 'fix login \u202Enimda\u202C by \u2067mallory\u2069';
    expect(escapeHtml(title)).toBe('fix login \\u202enimda\\u202c by \\u2067mallory\\u2069');
    expect(html`<td title="${title}">${title}</td>`.text).toBe('<td title="fix login \\u202enimda\\u202c by \\u2067mallory\\u2069">fix login \\u202enimda\\u202c by \\u2067mallory\\u2069</td>');
    // Right-to-left text itself, and its marks, are left as they are.
    expect(escapeHtml('שלום\u200F')).toBe('שלום\u200F');
  });

  it('escapes every interpolation of the template, in text and in attributes', () => {
    const title = '<img src=x onerror="window.__pwned=1">';
    expect(html`<td title="${title}">${title}</td>`.text).toBe(
      '<td title="&lt;img src=x onerror=&quot;window.__pwned=1&quot;&gt;">&lt;img src=x onerror=&quot;window.__pwned=1&quot;&gt;</td>',
    );
    expect(html`<ul>${['<a>', html`<li>${'<b>'}</li>`]}</ul>`.text).toBe('<ul>&lt;a&gt;<li>&lt;b&gt;</li></ul>');
    expect(html`${false}${null}${undefined}`.text).toBe('');
  });
});
