/**
 * One line that says what went wrong in a stream, for the manifest and the
 * terminal: the HTTP status and request when the error came from an API
 * client, the field path when a response failed its schema. Never includes
 * request headers (they carry credentials).
 */
import { z } from 'zod';
import { redactUrl } from './evidence-fetch.js';

interface HttpLikeError {
  status?: unknown;
  message?: unknown;
  request?: { method?: unknown; url?: unknown };
}

export function describeError(error: unknown): string {
  if (error instanceof z.ZodError) {
    const issues = error.issues.slice(0, 5).map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`);
    return `unexpected API response shape: ${issues.join('; ')}`;
  }
  if (typeof error === 'object' && error !== null) {
    const candidate = error as HttpLikeError;
    const message = typeof candidate.message === 'string' ? candidate.message.split('\n')[0] : String(error);
    if (typeof candidate.status === 'number' && candidate.request && typeof candidate.request.url === 'string') {
      let where = candidate.request.url;
      try {
        where = redactUrl(where);
      } catch {
        // not an absolute URL; keep it as the client gave it
      }
      return `HTTP ${candidate.status} on ${String(candidate.request.method ?? 'GET')} ${where}: ${message}`;
    }
    return message ?? String(error);
  }
  return String(error);
}
