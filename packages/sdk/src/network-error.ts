/**
 * A request that got no HTTP answer at all: the connection was refused, the
 * host name did not resolve, TLS failed or the request timed out. Said as
 * such, so nobody reads it as a missing permission or a server's "HTTP 500"
 * (API clients such as Octokit wrap a failed fetch as status 500).
 */

interface ErrorLike {
  name?: unknown;
  code?: unknown;
  message?: unknown;
  cause?: unknown;
  hostname?: unknown;
  address?: unknown;
  port?: unknown;
}

const TLS_CODE = /^(ERR_TLS_|ERR_SSL_|CERT_|UNABLE_TO_|DEPTH_ZERO_|SELF_SIGNED_|HOSTNAME_MISMATCH)/;

function errorsIn(error: unknown): ErrorLike[] {
  const chain: ErrorLike[] = [];
  for (let at: unknown = error; typeof at === 'object' && at !== null && chain.length < 8; at = (at as ErrorLike).cause) {
    chain.push(at as ErrorLike);
    // undici reports a failed connection to each address of a host as an AggregateError.
    const inner = (at as { errors?: unknown }).errors;
    if (Array.isArray(inner) && inner.length > 0 && !('cause' in at && (at as ErrorLike).cause)) chain.push(...errorsIn(inner[0]));
  }
  return chain;
}

function peer(error: ErrorLike, url: string): string {
  if (typeof error.address === 'string' && typeof error.port === 'number') return `${error.address}:${error.port}`;
  if (typeof error.hostname === 'string') return error.hostname;
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}

/** OpenSSL's own text ("…:SSL routines:ssl3_get_record:wrong version number:…") cut to its reason. */
function tlsReason(error: ErrorLike, code: string): string {
  const message = typeof error.message === 'string' ? error.message.trim() : code;
  const parts = message.split(':');
  const at = parts.indexOf('SSL routines');
  return (at >= 0 ? parts[at + 2] : undefined) ?? message;
}

/**
 * What kept a request from getting an answer, in a few words naming the host, or null when the error
 * is not a network failure (an HTTP status, a schema problem, the caller's own cancellation).
 */
export function networkFailure(error: unknown, url: string): string | null {
  for (const link of errorsIn(error)) {
    const code = typeof link.code === 'string' ? link.code : '';
    const host = peer(link, url);
    if (code === 'ECONNREFUSED') return `connection refused by ${host}`;
    if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return `the host name ${typeof link.hostname === 'string' ? link.hostname : host} does not resolve (DNS ${code})`;
    if (code === 'ECONNRESET' || code === 'EPIPE' || code === 'UND_ERR_SOCKET') return `the connection to ${host} was closed before an answer (${code})`;
    if (code === 'ETIMEDOUT' || code === 'UND_ERR_CONNECT_TIMEOUT') return `connecting to ${host} timed out`;
    if (code === 'EHOSTUNREACH' || code === 'ENETUNREACH') return `${host} is unreachable (${code})`;
    if (TLS_CODE.test(code) || code === 'EPROTO') return `TLS with ${host} failed: ${tlsReason(link, code)} (${code})`;
    if (link.name === 'TimeoutError') return `no answer from ${host} in time (request timeout)`;
  }
  return null;
}
