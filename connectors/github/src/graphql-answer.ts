/**
 * How a GraphQL answer is judged: strictly (any error fails the read) or
 * partially (data beside errors, the caller judges the errors), and how a
 * folded document's answer (overview-queries.ts) is cut back into the answers
 * its standalone queries would have had: each alias becomes the field it
 * stands for, each error goes to the part its path names, with the path the
 * standalone query would have given. So a part fails, falls back or goes
 * unread exactly as its own query did, with the same message; an error that
 * names no part fails the whole read, never passes silently.
 */
import type { z } from 'zod';
import { parseResponse } from './schema.js';

/** One error of a GraphQL answer. */
export type GraphQLError = { message: string; type?: string; path?: Array<string | number> };

/** A GraphQL response that carried an `errors` array. */
export class GraphQLResponseError extends Error {
  override name = 'GraphQLResponseError';
  readonly types: string[];
  constructor(what: string, errors: GraphQLError[]) {
    const described = errors.slice(0, 3).map((e) => `${e.message}${e.type ? ` [${e.type}]` : ''}${e.path ? ` at ${e.path.join('.')}` : ''}`);
    super(`GraphQL ${what} returned errors: ${described.join('; ')}`);
    this.types = errors.map((e) => e.type ?? '');
  }
}

/** An answer as received (or one part of a folded answer): `what` names the query it is judged as. */
export interface GraphQLAnswer {
  what: string;
  data: unknown;
  errors: GraphQLError[];
  source: string;
}

/** The answer's value; any error fails the read. */
export function strictValue<T>(answer: GraphQLAnswer, schema: z.ZodType<T>): { value: T; source: string } {
  if (answer.errors.length > 0) throw new GraphQLResponseError(answer.what, answer.errors);
  return { value: parseResponse(`GraphQL ${answer.what}`, schema, answer.data), source: answer.source };
}

/** The answer's value beside its errors, for the caller to judge; no data at all fails the read. */
export function partialValue<T>(answer: GraphQLAnswer, schema: z.ZodType<T>): { value: T; source: string; errors: GraphQLError[] } {
  if (answer.data === undefined || answer.data === null) throw new GraphQLResponseError(answer.what, answer.errors.length > 0 ? answer.errors : [{ message: 'the answer holds no data' }]);
  return { value: parseResponse(`GraphQL ${answer.what}`, schema, answer.data), source: answer.source, errors: answer.errors };
}

/** One part of a folded document: the query it stands for and the field its alias renames. */
export interface FoldedPart {
  what: string;
  field: string;
}

/**
 * A folded answer cut into its parts, by alias. An error whose path names no
 * part, or an answer with no data at all (every part lost), fails the read:
 * named after the one part whose errors caused it, else after the document.
 */
export function splitAnswer<K extends string>(answer: GraphQLAnswer, parts: Record<K, FoldedPart>): Record<K, GraphQLAnswer> {
  const aliases = Object.keys(parts) as K[];
  const errorsOf = new Map<K, GraphQLError[]>(aliases.map((alias) => [alias, []]));
  const unclaimed: GraphQLError[] = [];
  for (const error of answer.errors) {
    const [alias, ...rest] = error.path ?? [];
    const part = typeof alias === 'string' && aliases.includes(alias as K) ? (alias as K) : null;
    if (part === null) unclaimed.push(error);
    else errorsOf.get(part)!.push({ ...error, path: [parts[part].field, ...rest] });
  }
  if (unclaimed.length > 0) throw new GraphQLResponseError(answer.what, unclaimed);
  const data = answer.data as Record<string, unknown> | null | undefined;
  if (data === undefined || data === null) {
    const failed = aliases.filter((alias) => errorsOf.get(alias)!.length > 0);
    const only = failed.length === 1 ? failed[0]! : null;
    throw new GraphQLResponseError(only === null ? answer.what : parts[only].what, only === null ? (answer.errors.length > 0 ? answer.errors : [{ message: 'the answer holds no data' }]) : errorsOf.get(only)!);
  }
  const split = {} as Record<K, GraphQLAnswer>;
  for (const alias of aliases) split[alias] = { what: parts[alias].what, data: { [parts[alias].field]: data[alias] }, errors: errorsOf.get(alias)!, source: answer.source };
  return split;
}
