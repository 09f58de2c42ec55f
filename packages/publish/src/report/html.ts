/**
 * HTML from evidence, safely. Evidence is hostile input (a PR title can be
 * `<script>…</script>`), so the report is built only with the `html` tagged
 * template: every interpolated value is escaped by the one escaping function
 * below unless it is already SafeHtml (built by this template). Markup that
 * is not built from values (the style sheet) is marked with `trustedMarkup`.
 */

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/**
 * The bidirectional embeddings, overrides and isolates: in a PR title or an account name they reorder
 * what follows them (U+202E shows `nimda` as `admin` and the rest of a finding's reason backwards), so
 * they are shown as visible escapes, as the terminal output shows them.
 */
const BIDI_CONTROLS = /[\u202a-\u202e\u2066-\u2069]/g;

/** Text made safe for HTML element content and quoted attribute values, its bidi controls shown as \\uNNNN. */
export function escapeHtml(value: unknown): string {
  const text = value === null || value === undefined ? '' : String(value);
  return text.replace(/[&<>"']/g, (char) => ESCAPES[char]!).replace(BIDI_CONTROLS, (char) => `\\u${char.charCodeAt(0).toString(16)}`);
}

export class SafeHtml {
  constructor(readonly text: string) {}
  toString(): string {
    return this.text;
  }
}

function render(value: unknown): string {
  if (value instanceof SafeHtml) return value.text;
  if (Array.isArray(value)) return value.map(render).join('');
  if (value === false || value === null || value === undefined) return '';
  return escapeHtml(value);
}

/** A template whose interpolations are escaped (arrays are joined, false/null/undefined render nothing). */
export function html(strings: TemplateStringsArray, ...values: unknown[]): SafeHtml {
  let text = strings[0] ?? '';
  values.forEach((value, index) => {
    text += render(value) + (strings[index + 1] ?? '');
  });
  return new SafeHtml(text);
}

/** Markup that comes from this program, never from evidence (the style sheet). */
export function trustedMarkup(text: string): SafeHtml {
  return new SafeHtml(text);
}
