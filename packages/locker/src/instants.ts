/**
 * Times compared in SQL as instants, never as text. Stored times are ISO
 * 8601 strings of more than one shape (a connector's `2026-06-30T18:00:00Z`
 * or `…+02:00`, the locker's own `….000Z`), and a bound past the year 9999
 * prints as `+010000-…`, which sorts before every stored year as text. So
 * queries read stored times with SQLite's julianday(), which understands every
 * shape the record schema admits, and bounds are converted here, where no
 * year overflows.
 */

/** 1970-01-01T00:00Z in milliseconds since the Julian day epoch (SQLite's internal count). */
const UNIX_EPOCH_JULIAN_MS = 210_866_760_000_000;

/** The Julian day number SQLite's julianday() gives for the same instant (bit for bit, at millisecond precision). */
export function julianDay(time: Date): number {
  return (time.getTime() + UNIX_EPOCH_JULIAN_MS) / 86_400_000;
}
