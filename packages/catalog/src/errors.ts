/**
 * Catalog errors carry what a config loader needs to point the user at the
 * offending entry, not just a message.
 */

export class CatalogError extends Error {
  override name = 'CatalogError';
}

/** A criterion ID that is not in the catalog, and where it was written. */
export class UnknownCriterionError extends CatalogError {
  override name = 'UnknownCriterionError';

  constructor(
    readonly id: string,
    readonly origin: string,
  ) {
    super(`unknown criterion ${JSON.stringify(id)} in ${origin}`);
  }
}
