/**
 * Test helpers shared by the members and branch-protection cassettes: more
 * repositories in the organization's listing, the listing answered a second
 * time (the re-list a listing shorter than GitHub's count gets), and a
 * standalone batch query for the repositories after the overview's batch.
 */
import type { CassetteInput } from '@evidentia/testing';

type Interaction = CassetteInput['interactions'][number];
type RepositoryJson = Record<string, unknown> & { name: string; full_name: string; id: number; node_id: string };

const isListing = (i: Interaction) => i.request.path.startsWith('/orgs/acme-corp/repos?');
const isOverview = (i: Interaction) => /query (Members|Protection)Overview/.test(JSON.stringify(i.request.body ?? null));

/** A repository as the listing gives it, made from the listing's first one: its name, id and node id changed. */
export function addedRepository(cassette: CassetteInput, name: string, id: number): RepositoryJson {
  const listing = cassette.interactions.find(isListing)!;
  const template = (listing.response.body as unknown as RepositoryJson[])[0]!;
  return { ...structuredClone(template), id, node_id: Buffer.from(`010:Repository${id}`).toString('base64'), name, full_name: `acme-corp/${name}` };
}

/** The first repository listing with `added` at its end. */
export function extendListing(cassette: CassetteInput, added: RepositoryJson[]): CassetteInput {
  const copy = structuredClone(cassette);
  const listing = copy.interactions.find(isListing)!;
  listing.response.body = [...(listing.response.body as unknown as RepositoryJson[]), ...added] as never;
  return copy;
}

/** The listing answered again after the overview: the first listing's repositories, then `added` (created meanwhile). */
export function relisting(cassette: CassetteInput, added: RepositoryJson[]): CassetteInput {
  const copy = structuredClone(cassette);
  const listing = copy.interactions.find(isListing)!;
  const again = { ...structuredClone(listing), response: { ...structuredClone(listing.response), body: [...(listing.response.body as unknown as RepositoryJson[]), ...added] } } as Interaction;
  copy.interactions.splice(copy.interactions.findIndex(isOverview) + 1, 0, again);
  return copy;
}

/** A standalone batch query (`query`, by node id) answering `nodes`, sent after the overview. */
export function batchQuery(cassette: CassetteInput, query: string, ids: string[], nodes: unknown[]): CassetteInput {
  const copy = structuredClone(cassette);
  const overview = copy.interactions.find(isOverview)!;
  const batch = { request: { method: 'POST', path: '/graphql', body: { query, variables: { ids } } }, response: { ...structuredClone(overview.response), body: { data: { nodes } } } } as unknown as Interaction;
  copy.interactions.splice(copy.interactions.indexOf(overview) + 1, 0, batch);
  return copy;
}
