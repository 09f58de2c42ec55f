/**
 * The columns of a connector's own record kind (`acme.device`). evidentia
 * knows nothing of its meaning, so its population takes the columns from the
 * data itself: one per top-level field, named as the field is (a field named
 * like a common column gets a `data.` prefix so nothing is overwritten).
 * Lists of plain values are joined by "; " like the built-in list columns;
 * nested objects are written as their JSON, so no value is dropped.
 */

function cellOf(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value) && value.every((entry) => entry === null || ['string', 'number', 'boolean'].includes(typeof entry))) {
    return value.filter((entry) => entry !== null).join('; ');
  }
  return JSON.stringify(value);
}

/** The values of a custom kind's data by column name, in the data's field order. */
export function dataDetails(data: Record<string, unknown>, reserved: ReadonlySet<string>): Record<string, string> {
  return Object.fromEntries(Object.entries(data).map(([field, value]) => [reserved.has(field) ? `data.${field}` : field, cellOf(value)]));
}

/** A few words for a custom kind's item: its first plain fields as `field value`. */
export function dataSummary(data: Record<string, unknown>): string {
  const plain = Object.entries(data).filter(([, value]) => ['string', 'number', 'boolean'].includes(typeof value));
  return plain
    .slice(0, 4)
    .map(([field, value]) => `${field} ${String(value)}`)
    .join(' · ');
}
