/**
 * Record kinds beyond the built-in ones. A connector may declare a kind of its
 * own (`acme.device`) with a zod schema for its data; the kind's name is
 * namespaced so it can never be mistaken for, or later collide with, a kind
 * evidentia ships. Declared kinds live in one registry per process, filled
 * when connectors are loaded, because every writer of a record (the SDK's
 * emit, the locker's stream writer, the memory sink) validates it through
 * `validateRecord` and must see the same schemas. Reading needs no schema: a
 * stored record is verified by its hash, whatever its kind.
 */
import type { z } from 'zod';
import { isRecordKind, RECORD_KINDS, recordKinds, type RecordKind } from './kinds.js';

/** A custom kind's name: `<namespace>.<name>`, e.g. `acme.device`. */
export type CustomKindName = `${string}.${string}`;
/** The name of any record kind, built-in or custom. */
export type KindName = RecordKind | CustomKindName;

const KIND_NAME = /^[a-z][a-z0-9-]*(\.[a-z][a-z0-9_-]*)+$/;

/** Namespaces custom kinds may not use: those of the built-in kinds, and evidentia's own. */
export const RESERVED_NAMESPACES: ReadonlySet<string> = new Set(['evidentia', ...RECORD_KINDS.map((kind) => kind.split('.')[0]!)]);

/** Why `name` cannot be a custom kind's name, or null when it can. */
export function customKindNameProblem(name: unknown): string | null {
  if (typeof name !== 'string' || !KIND_NAME.test(name)) {
    return 'a kind name is <namespace>.<name> in lower-case letters, digits, dashes and underscores, e.g. acme.device';
  }
  const namespace = name.split('.')[0]!;
  if (RESERVED_NAMESPACES.has(namespace)) {
    return `namespace "${namespace}" belongs to evidentia's built-in kinds (${[...RESERVED_NAMESPACES].join(', ')}); use your organization's or system's name, e.g. acme.${name.split('.').slice(1).join('.')}`;
  }
  return null;
}

export function isCustomKindName(name: unknown): name is CustomKindName {
  return customKindNameProblem(name) === null;
}

/** Whether `name` can name a kind (a check's reads, a population's --kind, a controls override): built-in, or a well-formed custom name. */
export function isKindName(name: unknown): name is KindName {
  return typeof name === 'string' && (isRecordKind(name) || isCustomKindName(name));
}

/** Why `schema` cannot describe a kind's data, or null. Duck-typed: a connector may bring its own copy of zod. */
export function kindSchemaProblem(schema: unknown): string | null {
  const candidate = schema as { safeParse?: unknown; def?: { type?: unknown } } | null | undefined;
  if (typeof candidate?.safeParse !== 'function') return 'its schema must be a zod schema';
  const type = candidate.def?.type;
  if (type !== 'object') return `its schema must be a zod object (z.object({ … })), not ${String(type ?? 'an unknown schema')}: a record's data is an object`;
  return null;
}

export class KindRegistrationError extends Error {
  override name = 'KindRegistrationError';
}

interface Declaration {
  schema: z.ZodType;
  owner: string;
  /** The module the connector was loaded from, once its loader said so. */
  module?: string;
}

export class KindRegistry {
  private readonly declared = new Map<string, Declaration>();

  /**
   * Declare kind `name` with the schema of its data, for `owner` (the connector's id) defined in `module` (the
   * file it was loaded from, when known). Declaring it again for the same owner from the same module replaces the
   * schema (a connector module loaded anew); another owner is a clash, and so is another module with the same
   * connector id: its records would be validated against whichever schema was declared last. A declaration that
   * names no module (defineConnector, as the module is evaluated) does not replace one that does: the loader
   * declares it again naming the module, and is refused there if it is another one.
   */
  declare(name: string, schema: z.ZodType, owner: string, module?: string): void {
    const problem = customKindNameProblem(name) ?? kindSchemaProblem(schema);
    if (problem) throw new KindRegistrationError(`connector ${owner}: kind ${name}: ${problem}`);
    const existing = this.declared.get(name);
    if (existing && existing.owner !== owner) {
      throw new KindRegistrationError(`connector ${owner}: kind ${name} is already declared by connector ${existing.owner}; a kind belongs to one connector (share the module that declares it, or choose another name)`);
    }
    if (existing?.module !== undefined) {
      if (module === undefined) return;
      if (module !== existing.module) {
        throw new KindRegistrationError(
          `connector ${owner}: kind ${name} is declared by module ${existing.module} and again by module ${module} of the same connector id; two connectors need two ids (or load the one module in both places)`,
        );
      }
    }
    this.declared.set(name, { schema, owner, module: module ?? existing?.module });
  }

  /** The schema a record of `kind` must satisfy, or undefined when no such kind is built in or declared. */
  schemaOf(kind: string): z.ZodType | undefined {
    if (isRecordKind(kind)) return recordKinds[kind];
    return this.declared.get(kind)?.schema;
  }

  /** The connector that declared a custom kind. */
  ownerOf(kind: string): string | undefined {
    return this.declared.get(kind)?.owner;
  }

  /** The custom kinds declared so far, by name. */
  customKinds(): string[] {
    return [...this.declared.keys()].sort();
  }
}

/** The process's registry: connectors' kinds are declared in it when they are loaded. */
export const recordKindRegistry = new KindRegistry();
