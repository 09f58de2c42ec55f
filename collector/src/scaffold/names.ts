/**
 * The names a scaffolded connector is built from, checked before anything is
 * written: the id (the same rule as defineConnector's), its title and the
 * environment variable its token is referenced by.
 */
import { UsageError } from '@evidentia/audit';

export interface ScaffoldNames {
  /** Connector id and folder name, e.g. `acme-hr`. */
  id: string;
  /** A readable title, e.g. `Acme Hr`. */
  title: string;
  /** Where the token is referenced from, e.g. `ACME_HR_TOKEN`. */
  envVar: string;
}

const ID = /^[a-z][a-z0-9-]*$/;

/** The names for connector `name`, or a usage error saying what a name may be. */
export function scaffoldNames(name: string, builtIn: readonly string[]): ScaffoldNames {
  if (!ID.test(name) || name.endsWith('-') || name.length > 50) {
    throw new UsageError(`connector name "${name}": use lower-case letters, digits and dashes, starting with a letter (e.g. acme-hr)`);
  }
  if (builtIn.includes(name)) throw new UsageError(`connector name "${name}" is a built-in connector's id; choose another (e.g. ${name}-custom)`);
  return {
    id: name,
    title: name.split('-').map((word) => `${word[0]!.toUpperCase()}${word.slice(1)}`).join(' '),
    envVar: `${name.toUpperCase().replaceAll('-', '_')}_TOKEN`,
  };
}
