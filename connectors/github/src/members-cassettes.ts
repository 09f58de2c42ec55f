/**
 * Test helpers deriving variants of the members cassette's access reads: a
 * repository's outside collaborators read over REST after the GraphQL batch
 * (overflowing, refused), over several Link pages or denied, the
 * repository listing over several pages, the SAML identities over several
 * cursor pages (one served twice), another identity count, no provider, a
 * refusal. The SAML identities' first page and the first batch are parts of
 * the MembersOverview answer, under their aliases, as GitHub answers a folded
 * document. Pages, links and cursors are shaped the way GitHub answers them.
 */
import type { CassetteInput } from '@evidentia/testing';
import { SAML_IDENTITIES_QUERY } from './queries.js';

type Interaction = CassetteInput['interactions'][number];
type Permission = 'admin' | 'maintain' | 'write' | 'triage' | 'read';

const isOverview = (i: Interaction) => JSON.stringify(i.request.body ?? null).includes('MembersOverview');
const REPOSITORY_IDS: Record<string, number> = { api: 9001, web: 9002, infra: 9003, 'docs-site': 9004, 'legacy-billing': 9005 };

/** A collaborator as GET /repos/{owner}/{repo}/collaborators lists one (the fields the connector reads and a few beside them). */
export function collaboratorAnswer(login: string, permission: Permission): Record<string, unknown> {
  const rank = ['read', 'triage', 'write', 'maintain', 'admin'].indexOf(permission);
  const id = 150_100 + [...login].reduce((sum, char) => sum + char.charCodeAt(0), 0);
  return {
    login,
    id,
    node_id: Buffer.from(`04:User${id}`).toString('base64'),
    type: 'User',
    site_admin: false,
    permissions: { admin: rank >= 4, maintain: rank >= 3, push: rank >= 2, triage: rank >= 1, pull: true },
    role_name: permission,
  };
}

function pagePath(base: string, page: number): string {
  return `${base}&page=${page}`;
}

/** Answers spread over pages: the first at `firstPath`, the others at `base&page=N`, each linking to the next. */
function pages(template: Interaction, firstPath: string, base: string, bodies: unknown[][]): Interaction[] {
  return bodies.map((body, index) => {
    const headers: Record<string, string> = { ...(template.response.headers as Record<string, string>) };
    delete headers.etag;
    if (index < bodies.length - 1) headers.link = `<{{baseUrl}}${pagePath(base, index + 2)}>; rel="next", <{{baseUrl}}${pagePath(base, bodies.length)}>; rel="last"`;
    return { request: { ...template.request, path: index === 0 ? firstPath : pagePath(base, index + 1) }, response: { ...template.response, headers, body } } as Interaction;
  });
}

function replace(cassette: CassetteInput, match: (i: Interaction) => boolean, make: (i: Interaction) => Interaction[]): CassetteInput {
  const copy = structuredClone(cassette);
  copy.interactions = copy.interactions.flatMap((i) => (match(i) ? make(i) : [i]));
  return copy;
}

const collaboratorsOf = (repo: string) => (i: Interaction) => i.request.path.startsWith(`/repos/acme-corp/${repo}/collaborators?`);

interface BatchEdge {
  permission: string;
  node: { login: string };
}
type SamlPage = { totalCount: number; pageInfo: { hasNextPage: boolean; endCursor: string | null }; nodes: unknown[] };
/** The MembersOverview answer: the organization's counts, the first SAML page, the first batch of outside collaborators. */
export interface OverviewAnswer {
  data: {
    totals: { membersWithRole: { totalCount: number }; repositories: { totalCount: number } } | null;
    saml: { samlIdentityProvider: null | { externalIdentities: SamlPage | null } } | null;
    collaborators?: Array<{ nameWithOwner: string; collaborators: { totalCount: number; edges: BatchEdge[] } | null } | null>;
  };
  errors?: Array<{ type?: string; path?: Array<string | number>; message: string }>;
}

/** The cassette's MembersOverview interaction and its answer, to change in place (on a copy of the cassette). */
export function overviewOf(cassette: CassetteInput): { interaction: Interaction; answer: OverviewAnswer } {
  const interaction = cassette.interactions.find(isOverview);
  if (!interaction) throw new Error('the cassette has no MembersOverview query');
  return { interaction, answer: interaction.response.body as unknown as OverviewAnswer };
}

/**
 * The repository read over REST after the GraphQL batch: its node in the
 * batch answer overflows one page (`overflow`: GitHub counts 101), is
 * refused (`refused`: null, with GitHub's error naming the node) or is not
 * resolved (`unresolved`: a null node, no error), and the REST
 * listing GitHub then answers is added after the batch, listing the same
 * collaborators. Called for several repositories, call it in listing order.
 */
export function collaboratorsOverRest(cassette: CassetteInput, repo: string, how: 'overflow' | 'refused' | 'unresolved'): CassetteInput {
  const copy = structuredClone(cassette);
  const { interaction: overview, answer } = overviewOf(copy);
  const at = copy.interactions.indexOf(overview);
  const nodes = answer.data.collaborators!;
  const index = nodes.findIndex((node) => node?.nameWithOwner === `acme-corp/${repo}`);
  const node = nodes[index];
  if (!node?.collaborators) throw new Error(`the batch answers nothing for ${repo}`);
  const listed = node.collaborators.edges.map((edge) => collaboratorAnswer(edge.node.login, edge.permission.toLowerCase() as Permission));
  if (how === 'overflow') node.collaborators.totalCount = 101;
  else if (how === 'unresolved') nodes[index] = null;
  else {
    node.collaborators = null;
    answer.errors = [...(answer.errors ?? []), { type: 'FORBIDDEN', path: ['collaborators', index, 'collaborators'], locations: [{ line: 8, column: 3 }], message: 'Must have push access to view repository collaborators.' } as never];
  }
  const listing = copy.interactions.find((i) => i.request.path.startsWith('/orgs/acme-corp/repos?'))!;
  const headers: Record<string, string> = { ...(listing.response.headers as Record<string, string>), 'x-accepted-oauth-scopes': 'repo' };
  delete headers.link;
  delete headers.etag;
  const rest = { request: { method: 'GET', path: `/repos/acme-corp/${repo}/collaborators?affiliation=outside&per_page=100`, body: null }, response: { status: 200, headers, body: listed } } as unknown as Interaction;
  let after = at + 1;
  while (copy.interactions[after]?.request.path.includes('/collaborators?')) after++;
  copy.interactions.splice(after, 0, rest);
  return copy;
}

/** The outside collaborators of one repository over several REST pages (the batch overflowing for it). */
export function collaboratorPages(cassette: CassetteInput, repo: string, bodies: Array<Array<Record<string, unknown>>>): CassetteInput {
  const base = `/repositories/${REPOSITORY_IDS[repo]}/collaborators?affiliation=outside&per_page=100`;
  return replace(collaboratorsOverRest(cassette, repo, 'overflow'), collaboratorsOf(repo), (i) => pages(i, i.request.path, base, bodies));
}

/** GitHub's answer to a token without push access to the repository: GraphQL refuses the node, REST answers 403. */
export function deniedRepository(cassette: CassetteInput, repo: string): CassetteInput {
  const body = { message: 'Must have push access to view repository collaborators.', documentation_url: 'https://docs.github.com/rest/collaborators/collaborators#list-repository-collaborators', status: '403' };
  return replace(collaboratorsOverRest(cassette, repo, 'refused'), collaboratorsOf(repo), (i) => [{ ...i, response: { status: 403, headers: { 'content-type': 'application/json; charset=utf-8' }, body } } as Interaction]);
}

/** The organization's repository listing, `size` repositories a page. */
export function splitRepositoryListing(cassette: CassetteInput, size: number): CassetteInput {
  return replace(
    cassette,
    (i) => i.request.path.startsWith('/orgs/acme-corp/repos?'),
    (i) => {
      const repos = i.response.body as unknown[];
      const bodies: unknown[][] = [];
      for (let start = 0; start < repos.length; start += size) bodies.push(repos.slice(start, start + size));
      return pages(i, i.request.path, '/organizations/9919/repos?type=all&per_page=100', bodies);
    },
  );
}

interface SamlBody {
  query: string;
  variables: { org: string; after: string | null };
}

const cursor = (n: number) => Buffer.from(`cursor:v2:${n}`).toString('base64');

/**
 * The SAML identities `size` a page: the first in the overview, the others
 * each a SamlIdentities query after it; with `repeatSecond`, the second page
 * is first answered with the first page again (same cursor).
 */
export function samlPages(cassette: CassetteInput, size: number, options: { repeatSecond?: boolean } = {}): CassetteInput {
  const copy = structuredClone(cassette);
  const { interaction: overview, answer } = overviewOf(copy);
  const identities = answer.data.saml!.samlIdentityProvider!.externalIdentities!;
  const count = Math.ceil(identities.nodes.length / size);
  const page = (n: number): SamlPage => ({ totalCount: identities.totalCount, pageInfo: { hasNextPage: n < count - 1, endCursor: cursor(n + 1) }, nodes: identities.nodes.slice(n * size, (n + 1) * size) });
  const query = (after: string, externalIdentities: SamlPage): Interaction =>
    ({
      request: { method: 'POST', path: '/graphql', body: { query: SAML_IDENTITIES_QUERY, variables: { org: 'acme-corp', after } } satisfies SamlBody },
      response: { ...overview.response, body: { data: { organization: { samlIdentityProvider: { externalIdentities } } } } },
    }) as unknown as Interaction;
  const later = Array.from({ length: count - 1 }, (_, n) => query(cursor(n + 1), page(n + 1)));
  if (options.repeatSecond && count > 1) later.unshift(query(cursor(1), page(0)));
  answer.data.saml!.samlIdentityProvider!.externalIdentities = page(0);
  copy.interactions.splice(copy.interactions.indexOf(overview) + 1, 0, ...later);
  return copy;
}

/** GitHub's count of the identities set to `total`. */
export function setSamlTotal(cassette: CassetteInput, total: number): CassetteInput {
  const copy = structuredClone(cassette);
  overviewOf(copy).answer.data.saml!.samlIdentityProvider!.externalIdentities!.totalCount = total;
  return copy;
}

/** The organization without a SAML identity provider (`null`): what GitHub answers when SAML SSO is not set up. */
export function samlProvider(cassette: CassetteInput, provider: null): CassetteInput {
  const copy = structuredClone(cassette);
  overviewOf(copy).answer.data.saml = { samlIdentityProvider: provider };
  return copy;
}

/** The pending-invitations listing answered with these invitations, or with a status (403: not an owner). */
export function invitationsAnswer(base: CassetteInput, answer: unknown[] | { status: number; message: string }): CassetteInput {
  const cassette = structuredClone(base);
  const entry = cassette.interactions.find((interaction) => interaction.request.path.startsWith('/orgs/acme-corp/invitations'));
  if (!entry) throw new Error('the cassette lists no invitations');
  if (Array.isArray(answer)) entry.response.body = answer as typeof entry.response.body;
  else {
    entry.response.status = answer.status;
    entry.response.body = { message: answer.message, status: String(answer.status) };
  }
  return cassette;
}
