/**
 * The page shell every portal page shares: the style sheet from /assets,
 * navigation, who is signed in and the sign-out form (with its CSRF token),
 * and the period picker (a GET form, so filters work without JavaScript).
 * Everything is built with publish's `html` template: evidence is escaped.
 */
import { html, type SafeHtml } from '@evidentia/publish';
import type { Session } from './sessions.js';

export const PAGES = [
  { path: '/readiness', title: 'Readiness' },
  { path: '/coverage', title: 'Coverage' },
  { path: '/exceptions', title: 'Exceptions' },
  { path: '/evidence', title: 'Evidence' },
  { path: '/populations', title: 'Populations' },
  { path: '/requests', title: 'Requests' },
  { path: '/runs', title: 'Runs' },
] as const;

export interface PageFrame {
  title: string;
  path: string;
  session: Session | null;
  /** Reload the page after this many seconds (a judgement still being made): a meta refresh, no script, so the CSP holds. */
  refreshSeconds?: number;
}

export function page(frame: PageFrame, body: SafeHtml): string {
  const nav = frame.session
    ? html`<nav>${PAGES.map((entry) => html`<a href="${entry.path}"${entry.path === frame.path ? html` aria-current="page"` : ''}>${entry.title}</a> `)}</nav>
<span class="who">${frame.session.user} (${frame.session.role})</span>
<form method="post" action="/sign-out"><input type="hidden" name="csrf" value="${frame.session.csrf}"><button type="submit">Sign out</button></form>`
    : '';
  return html`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
${frame.refreshSeconds === undefined ? '' : html`<meta http-equiv="refresh" content="${String(frame.refreshSeconds)}">`}<title>${frame.title} · evidentia</title><link rel="stylesheet" href="/assets/portal.css"></head>
<body><header><strong>evidentia</strong>${nav}</header>
<main><h1>${frame.title}</h1>
${body}</main></body></html>
`.text;
}

/** A select of `options` named `name`, `selected` chosen. */
export function select(name: string, label: string, options: readonly { value: string; text: string }[], selected: string): SafeHtml {
  return html`<label>${label}<select name="${name}">${options.map((option) => html`<option value="${option.value}"${option.value === selected ? html` selected` : ''}>${option.text}</option>`)}</select></label>`;
}

/** The period picker: auditors choose among their periods; admin and team may also type any A..B (the offered ones are suggested). */
export function periodField(offered: readonly string[], chosen: string, typed: boolean): SafeHtml {
  if (!typed) return select('period', 'period', offered.map((text) => ({ value: text, text })), chosen);
  return html`<label>period (A..B)<input name="period" value="${chosen}" list="periods" size="24"></label><datalist id="periods">${offered.map((text) => html`<option value="${text}"></option>`)}</datalist>`;
}
