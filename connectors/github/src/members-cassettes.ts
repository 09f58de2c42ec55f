/**
 * Test helpers deriving variants of the members cassette's access reads: a
 * repository's outside collaborators read over REST after the GraphQL batch
 * (overflowing, refused), over several Link pages or denied, the
 * repository listing over several pages, the SAML identities over several
 * cursor pages (one served twice), another identity count, no provider.
 * Pages, links and cursors are shaped the way GitHub answers them.
 */
import type { CassetteInput } from '@evidentia/testing';

type Interaction = CassetteInput['interactions'][number];
type Permission = 'admin' | 'maintain' | 'write' | 'triage' | 'read';

const isSaml = (i: Interaction) => JSON.stringify(i.request.body ?? null).includes('SamlIdentities');
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
const isCollaboratorBatch = (i: Interaction) => JSON.stringify(i.request.body ?? null).includes('OutsideCollaboratorsBatch');

interface BatchEdge {
  permission: string;
  node: { login: string };
}
interface BatchAnswer {
  data: { nodes: Array<{ nameWithOwner: string; collaborators: { totalCount: number; edges: BatchEdge[] } | null } | null> };
  errors?: unknown[];
}

/**
 * The repository read over REST after the GraphQL batch: its node in the
 * batch answer overflows one page (`overflow`: GitHub counts 101) or is
 * refused (`refused`: null, with GitHub's error naming the node), and the REST
 * listing GitHub then answers is added after the batch, listing the same
 * collaborators. Called for several repositories, call it in listing order.
 */
export function collaboratorsOverRest(cassette: CassetteInput, repo: string, how: 'overflow' | 'refused'): CassetteInput {
  const copy = structuredClone(cassette);
  const at = copy.interactions.findIndex(isCollaboratorBatch);
  if (at < 0) throw new Error('the cassette has no OutsideCollaboratorsBatch query');
  const batch = copy.interactions[at]!;
  const answer = batch.response.body as unknown as BatchAnswer;
  const index = answer.data.nodes.findIndex((node) => node?.nameWithOwner === `acme-corp/${repo}`);
  const node = answer.data.nodes[index];
  if (!node?.collaborators) throw new Error(`the batch answers nothing for ${repo}`);
  const listed = node.collaborators.edges.map((edge) => collaboratorAnswer(edge.node.login, edge.permission.toLowerCase() as Permission));
  if (how === 'overflow') node.collaborators.totalCount = 101;
  else {
    node.collaborators = null;
    answer.errors = [...(answer.errors ?? []), { type: 'FORBIDDEN', path: ['nodes', index, 'collaborators'], locations: [{ line: 6, column: 7 }], message: 'Must have push access to view repository collaborators.' }];
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

interface SamlAnswer {
  data: { organization: { samlIdentityProvider: null | { externalIdentities: { totalCount: number; pageInfo: { hasNextPage: boolean; endCursor: string | null }; nodes: unknown[] } } } };
}
interface SamlBody {
  query: string;
  variables: { org: string; after: string | null };
}

const cursor = (n: number) => Buffer.from(`cursor:v2:${n}`).toString('base64');

/** The SAML identities `size` a page; with `repeatSecond`, the second page is first answered with the first page again (same cursor). */
export function samlPages(cassette: CassetteInput, size: number, options: { repeatSecond?: boolean } = {}): CassetteInput {
  return replace(cassette, isSaml, (i) => {
    const answer = i.response.body as unknown as SamlAnswer;
    const identities = answer.data.organization.samlIdentityProvider!.externalIdentities;
    const body = i.request.body as unknown as SamlBody;
    const count = Math.ceil(identities.nodes.length / size);
    const page = (n: number, after: string | null): Interaction => {
      const nodes = identities.nodes.slice(n * size, (n + 1) * size);
      const pageInfo = { hasNextPage: n < count - 1, endCursor: cursor(n + 1) };
      const externalIdentities = { totalCount: identities.totalCount, pageInfo, nodes };
      return { request: { ...i.request, body: { ...body, variables: { ...body.variables, after } } }, response: { ...i.response, body: { data: { organization: { samlIdentityProvider: { externalIdentities } } } } } } as Interaction;
    };
    const answers = Array.from({ length: count }, (_, n) => page(n, n === 0 ? null : cursor(n)));
    if (options.repeatSecond && count > 1) answers.splice(1, 0, { ...page(0, null), request: answers[1]!.request });
    return answers;
  });
}

/** GitHub's count of the identities set to `total`. */
export function setSamlTotal(cassette: CassetteInput, total: number): CassetteInput {
  return replace(cassette, isSaml, (i) => {
    const answer = structuredClone(i.response.body) as unknown as SamlAnswer;
    answer.data.organization.samlIdentityProvider!.externalIdentities.totalCount = total;
    return [{ ...i, response: { ...i.response, body: answer } } as unknown as Interaction];
  });
}

/** The organization without a SAML identity provider (`null`): what GitHub answers when SAML SSO is not set up. */
export function samlProvider(cassette: CassetteInput, provider: null): CassetteInput {
  return replace(cassette, isSaml, (i) => [{ ...i, response: { ...i.response, body: { data: { organization: { samlIdentityProvider: provider } } } } } as Interaction]);
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
