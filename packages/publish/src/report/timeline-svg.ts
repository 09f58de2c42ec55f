/**
 * The coverage timeline as inline SVG: one row per stream across the period,
 * month lines, a mark for each collection (green complete, red failed,
 * amber where both fall into the same sliver of time) and the coverage
 * ledger's gaps as hatched red bands. Collections are bucketed into columns
 * so an hourly stream over a year stays a small picture.
 */
import { TimeZone } from '@evidentia/time';
import { html, type SafeHtml } from './html.js';
import type { ReportModel, StreamTimeline } from './model.js';

const LABEL = 230;
const WIDTH = 980;
const PLOT = WIDTH - LABEL - 10;
const ROW = 26;
const TOP = 28;
const BUCKETS = 240;

function x(ms: number, since: number, until: number): number {
  return LABEL + Math.max(0, Math.min(1, (ms - since) / (until - since))) * PLOT;
}

/** The calendar day of an instant in the audit time zone, as YYYY-MM-DD. */
function dayIn(zone: TimeZone, instant: number): string {
  return new Date(zone.wallOf(instant)).toISOString().slice(0, 10);
}

/** The first instant of each month (every third over a long period) after `since`, in the audit time zone. */
function months(since: number, until: number, zone: TimeZone): { at: number; label: string }[] {
  const marks: { at: number; label: string }[] = [];
  const start = new Date(zone.wallOf(since));
  const step = until - since > 400 * 86_400_000 ? 3 : 1;
  for (let month = start.getUTCMonth() + 1; ; month += step) {
    const wall = Date.UTC(start.getUTCFullYear(), month, 1);
    const at = zone.instantOf(wall);
    if (at >= until) break;
    marks.push({ at, label: new Date(wall).toISOString().slice(0, 7) });
  }
  return marks;
}

function row(timeline: StreamTimeline, index: number, since: number, until: number): SafeHtml {
  const y = TOP + index * ROW;
  const buckets = new Map<number, { complete: number; partial: number; failed: number }>();
  for (const collection of timeline.collections) {
    const bucket = Math.min(BUCKETS - 1, Math.floor(((Date.parse(collection.at) - since) / (until - since)) * BUCKETS));
    const counts = buckets.get(bucket) ?? { complete: 0, partial: 0, failed: 0 };
    counts[collection.status]++;
    buckets.set(bucket, counts);
  }
  const marks = [...buckets].map(([bucket, counts]) => {
    const cls = counts.failed + counts.partial === 0 ? 'ok' : counts.complete === 0 ? 'bad' : 'mixed';
    const left = LABEL + (bucket / BUCKETS) * PLOT;
    return html`<rect class="${cls}" x="${left.toFixed(1)}" y="${y + 5}" width="${Math.max(2, PLOT / BUCKETS - 0.5).toFixed(1)}" height="${ROW - 10}"><title>${counts.complete} complete, ${counts.partial} partial, ${counts.failed} failed</title></rect>`;
  });
  const gaps = (timeline.coverage?.gaps ?? []).map((gap) => {
    const left = x(Date.parse(gap.since), since, until);
    const right = x(Date.parse(gap.until), since, until);
    return html`<rect class="gap" x="${left.toFixed(1)}" y="${y + 2}" width="${Math.max(2, right - left).toFixed(1)}" height="${ROW - 4}"><title>gap ${gap.since} to ${gap.until}: ${gap.cause}</title></rect>`;
  });
  return html`<g><text class="label" x="4" y="${y + ROW / 2 + 4}">${timeline.stream}</text><line class="track" x1="${LABEL}" x2="${LABEL + PLOT}" y1="${y + ROW / 2}" y2="${y + ROW / 2}"/>${gaps}${marks}</g>`;
}

export function timelineSvg(model: ReportModel): SafeHtml {
  const since = model.period.since.getTime();
  const until = model.period.until.getTime();
  const zone = TimeZone.of(model.timezone);
  const inZone = model.timezone === 'UTC' ? '' : ` (${model.timezone})`;
  const bottom = TOP + model.streams.length * ROW;
  const height = bottom + 22;
  const grid = months(since, until, zone).map(({ at, label }) => {
    const left = x(at, since, until).toFixed(1);
    return html`<line class="month" x1="${left}" x2="${left}" y1="${TOP - 6}" y2="${bottom}"/><text class="axis" x="${left}" y="${TOP - 10}">${label}</text>`;
  });
  return html`<svg class="timeline" role="img" aria-label="Collections per stream over the period" viewBox="0 0 ${WIDTH} ${height}" width="${WIDTH}" height="${height}" xmlns="http://www.w3.org/2000/svg">
<defs><pattern id="hatch" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect width="3" height="6" class="hatch"/></pattern></defs>
<line class="track" x1="${LABEL}" x2="${LABEL + PLOT}" y1="${bottom + 2}" y2="${bottom + 2}"/>
<text class="axis" x="${LABEL}" y="${bottom + 16}">period start ${dayIn(zone, since)}</text><text class="axis end" x="${LABEL + PLOT}" y="${bottom + 16}">period end ${dayIn(zone, until - 1)}${inZone}</text>
${grid}${model.streams.map((timeline, index) => row(timeline, index, since, until))}
</svg>`;
}
