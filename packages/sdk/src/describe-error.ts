/**
 * One line that says what went wrong in a stream, for the manifest and the
 * terminal: the HTTP status and request when the error came from an API
 * client, the field path when a response failed its schema. Never includes
 * request headers (they carry credentials), nor a URL's user info or
 * credential query parameters.
 */
import { z } from 'zod';
import { NetworkError, redactUrlsIn } from './evidence-fetch.js';

interface HttpLikeError {
  status?: unknown;
  message?: unknown;
  request?: { method?: unknown; url?: unknown };
}

export function describeError(error: unknown): string {
  // Whatever wrote a URL into the error (a client quoting the one it refused), its user info and credential parameters go.
  return redactUrlsIn(describe(error));
}

function describe(error: unknown): string {
  // A request that never got an answer is said as such, even when an API client wrapped it as "HTTP 500".
  for (let at: unknown = error, depth = 0; typeof at === 'object' && at !== null && depth < 8; at = (at as { cause?: unknown }).cause, depth++) {
    if (at instanceof NetworkError) return at.message;
  }
  if (error instanceof z.ZodError) {
    const issues = error.issues.slice(0, 5).map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`);
    return `unexpected API response shape: ${issues.join('; ')}`;
  }
  if (typeof error === 'object' && error !== null) {
    const candidate = error as HttpLikeError;
    const message = typeof candidate.message === 'string' ? candidate.message.split('\n')[0] : String(error);
    if (typeof candidate.status === 'number' && candidate.request && typeof candidate.request.url === 'string') {
      return `HTTP ${candidate.status} on ${String(candidate.request.method ?? 'GET')} ${candidate.request.url}: ${message}`;
    }
    return message ?? String(error);
  }
  return String(error);
}
