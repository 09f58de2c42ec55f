/**
 * The cassette: the fixture file format the replay server serves and the
 * recording proxy writes (`evidentia.cassette/1`). It is parsed at the edge,
 * like any API response, so a typo in a hand-written fixture is an error that
 * names the file and the field rather than a request that silently never matches.
 */
import { readFile } from 'node:fs/promises';
import { z } from 'zod';

/** The format tag every cassette starts with. */
export const CASSETTE_FORMAT = 'evidentia.cassette/1';

const jsonValue = z.json();

/** Any JSON value, as request and response bodies hold them. */
export type JsonValue = z.infer<typeof jsonValue>;

/** The recorded request: method, path with query string, and body (null, JSON, or a raw string). */
const cassetteRequest = z.strictObject({
  method: z.string().regex(/^[A-Za-z]+$/, 'expected an HTTP method such as GET'),
  path: z.string().startsWith('/', 'expected a path starting with /, query string included'),
  body: jsonValue.default(null),
});

/** The recorded response. A string body is served verbatim; any other JSON value with JSON.stringify. */
const cassetteResponse = z.strictObject({
  status: z.number().int().min(100).max(599),
  // Checked here, not when served: a header Node cannot send would fail a request far from the fixture that holds it.
  headers: z
    .record(z.string().regex(/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/, 'expected an HTTP header name'), z.string().regex(/^[^\r\n\0]*$/, 'a header value may not hold a line break'))
    .default({}),
  body: jsonValue.default(null),
  // Node cuts a longer timer to 1 ms: a cassette meant to stand for a hung API would answer at once.
  delayMs: z.number().nonnegative().max(2_147_483_647, 'expected at most 2147483647 ms, the longest timer Node can wait').optional(),
});

const interaction = z.object({ request: cassetteRequest, response: cassetteResponse });

/** Zod schema of a cassette file. */
export const cassetteSchema = z.object({
  format: z.literal(CASSETTE_FORMAT),
  description: z.string(),
  interactions: z.array(interaction),
});

/** A parsed cassette (defaults filled in). */
export type Cassette = z.output<typeof cassetteSchema>;
/** A cassette as written by hand: `body` and `headers` may be left out. */
export type CassetteInput = z.input<typeof cassetteSchema>;
export type Interaction = Cassette['interactions'][number];
export type CassetteRequest = Interaction['request'];
export type CassetteResponse = Interaction['response'];

/** A cassette that does not parse; the message names the source and the field path of each problem. */
export class CassetteError extends Error {
  override name = 'CassetteError';
}

/**
 * Validate a cassette value. `source` (a file path or a description) is
 * named in the error.
 */
export function parseCassette(value: unknown, source: string): Cassette {
  const result = cassetteSchema.safeParse(value);
  if (result.success) return result.data;
  const problems = result.error.issues.slice(0, 10).map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`);
  throw new CassetteError(`${source}: invalid cassette: ${problems.join('; ')}`);
}

/** Read and validate a cassette file. Throws a `CassetteError` naming the file and the field path. */
export async function loadCassette(path: string): Promise<Cassette> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    // fs errors may come from another realm (a test VM), where instanceof Error is false.
    const message = typeof error === 'object' && error !== null && 'message' in error ? String(error.message) : String(error);
    throw new CassetteError(`${path}: cannot read the cassette: ${message}`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text) as unknown;
  } catch (error) {
    throw new CassetteError(`${path}: not valid JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
  return parseCassette(value, path);
}
