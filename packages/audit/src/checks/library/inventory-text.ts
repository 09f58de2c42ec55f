/** Wording shared by the inventory checks: when something was observed. */
/** "in all 3 inventories from A to B" / "in the inventory of A". */
export function observedSpan(times: readonly string[]): string {
  if (times.length === 1) return `in the inventory of ${times[0]}`;
  return `in all ${times.length} inventories from ${times[0]} to ${times.at(-1)}`;
}

/** "in 2 of 5 inventories, first at A" / "in the inventory of A". */
export function when(failing: string[], of: number): string {
  if (of === 1) return `in the inventory of ${failing[0]}`;
  return `in ${failing.length} of ${of} inventories, first at ${failing[0]}${failing.length > 1 ? `, last at ${failing.at(-1)}` : ''}`;
}
