/**
 * One end of a period as written: a date (`2026-06-30`), a wall time in the
 * audit zone (`2026-06-30T18:00`), or an instant (`2026-06-30T18:00:00Z`,
 * `…+02:00`). Years have four digits, so nothing past 9999-12-31 can be
 * written, and every field is range-checked before any arithmetic (no
 * `new Date(text)`, which rolls 2026-02-30 over to March).
 */
import type { TimeZone } from './zone.js';

const DAY_MS = 86_400_000;
const PATTERN = /^(\d{4})-(\d{2})-(\d{2})(?:[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?([Zz]|[+-]\d{2}:?\d{2})?)?$/;

export type BoundRole = 'start' | 'end';

export interface Bound {
  /** The instant this end stands for: a date's start is its first moment, a date's end the midnight after it. */
  instant: number;
  /** How it was written: a whole day, a wall time in the zone, or an instant with its offset. */
  form: 'date' | 'wall' | 'instant';
}

function daysIn(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

function offsetMs(text: string): number | null {
  if (/^[Zz]$/.test(text)) return 0;
  const [hours, minutes] = [Number(text.slice(1, 3)), Number(text.slice(-2))];
  if (hours > 23 || minutes > 59) return null;
  return (text.startsWith('-') ? -1 : 1) * (hours * 60 + minutes) * 60_000;
}

/** The bound `text` denotes in `zone`, or null when it is not a valid date or date-time. */
export function parseBound(text: string, role: BoundRole, zone: TimeZone): Bound | null {
  const match = PATTERN.exec(text);
  if (!match) return null;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  if (month < 1 || month > 12 || day < 1 || day > daysIn(year, month)) return null;
  // Date.UTC maps years 0-99 to 1900-1999; setUTCFullYear does not.
  const midnight = new Date(Date.UTC(2000, month - 1, day)).setUTCFullYear(year);
  if (match[4] === undefined) return { instant: zone.instantOf(midnight + (role === 'end' ? DAY_MS : 0)), form: 'date' };
  const [hour, minute, second] = [Number(match[4]), Number(match[5]), Number(match[6] ?? 0)];
  if (hour > 23 || minute > 59 || second > 59) return null;
  const wall = midnight + ((hour * 60 + minute) * 60 + second) * 1000 + Math.floor(Number(`0.${match[7] ?? 0}`) * 1000);
  if (match[8] === undefined) return { instant: zone.instantOf(wall), form: 'wall' };
  const offset = offsetMs(match[8]);
  return offset === null ? null : { instant: wall - offset, form: 'instant' };
}
