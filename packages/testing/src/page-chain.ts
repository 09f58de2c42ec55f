/**
 * Which list a request pages through, told from the request alone, for the
 * fault proxy's repeated page: two requests are pages of one list when they
 * differ only in their paging parameter (GitHub's `page` and GraphQL
 * `after`, Google's `pageToken`, Slack's `cursor`, Jira's `nextPageToken`,
 * AWS's `Marker` and `NextToken`), wherever the API puts it: query string,
 * form body or JSON body (GraphQL variables included).
 */

const PAGING = /^(page|pagetoken|nextpagetoken|cursor|after|marker|nexttoken|startat|offset)$/i;

export interface PageOf {
  /** The list: method, path, AWS target and every non-paging parameter. */
  chain: string;
  /** The paging parameters' values; null on a list's first page (or a request that pages nothing). */
  page: string | null;
}

function bodyParams(body: string, contentType: string): Array<[string, string]> {
  if (body === '') return [];
  if (/x-www-form-urlencoded/i.test(contentType)) return [...new URLSearchParams(body)];
  try {
    const parsed = JSON.parse(body) as unknown;
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return [['body', body]];
    const { variables, ...rest } = parsed as Record<string, unknown>;
    const entries = Object.entries(rest);
    if (variables !== null && typeof variables === 'object') entries.push(...Object.entries(variables as Record<string, unknown>));
    return entries.map(([name, value]) => [name, JSON.stringify(value)]);
  } catch {
    return [['body', body]];
  }
}

/** The list and page a request asks for. */
export function pageOf(method: string, url: URL, headers: Record<string, string | string[] | undefined>, body: string): PageOf {
  const contentType = String(headers['content-type'] ?? '');
  const params = [...url.searchParams, ...bodyParams(body, contentType)].filter(([, value]) => value !== 'null');
  const paging = params.filter(([name]) => PAGING.test(name));
  const rest = params.filter(([name]) => !PAGING.test(name)).sort(([a, x], [b, y]) => a.localeCompare(b) || x.localeCompare(y));
  const chain = JSON.stringify([method, url.pathname, headers['x-amz-target'] ?? null, rest]);
  return { chain, page: paging.length === 0 ? null : JSON.stringify(paging) };
}
