/**
 * The people directory a check needs about a few people (the leavers, the
 * joiners, the reinstated, the configured aliases), with memory bounded by
 * them and their accounts, not by the population. Linking every account's
 * identifiers (email, SSO identity, login) would hold two Map entries per
 * identifier of a million-account directory before knowing whether anyone
 * left; yet an identifier reaches a person only through a chain of accounts
 * that each share one with the next (an HR email → an account with that
 * email and SSO identity X → an account with X and login Y → an account
 * with login Y alone), so only the accounts on such chains matter.
 *
 * The reachable identifiers are found by iterating to a fixed point over the
 * streamed accounts: a pass adds the identifiers of every account that
 * carries one already reachable; a chain running against the stream's order
 * needs a further pass per backward step, and the pass that adds nothing is
 * the last (usually the second). That pass links, in stream order, exactly
 * the accounts the full directory would have linked into these people's
 * groups, so every group, and the identifier naming it (the first seen), is
 * the one the full directory holds: answers about these people are
 * identical, and any other identifier belongs to no group here, as it
 * belongs to no known person there. The alternative, every link in a
 * temporary SQLite table closed by a recursive query, would write the whole
 * population to disk to answer for a few people; the passes only read.
 */
import type { RecordData } from '@evidentia/evidence';
import type { CheckEvidence, Window } from './define.js';
import { accountIdentifiers, normalize, type PeopleDirectory } from './people.js';

type Account = RecordData<'access.account'>;

/**
 * A copy of `configured` in which every account of the window that can
 * reach one of `seeds` (or a configured identifier) through shared
 * identifiers is linked, as `link` on every account would have, and no other.
 */
export async function reachablePeople(evidence: CheckEvidence, configured: PeopleDirectory, seeds: Iterable<string | null | undefined>, window: Window): Promise<PeopleDirectory> {
  const reachable = new Set<string>(configured.identifiers());
  for (const seed of seeds) {
    const id = normalize(seed);
    if (id !== null) reachable.add(id);
  }
  // Nothing to reach (no alias, no personnel record, no reinstatement): no account can belong to anyone asked about.
  if (reachable.size === 0) return configured.clone();
  for (;;) {
    const people = configured.clone();
    let grew = false;
    for await (const item of evidence.items('access.account', window)) {
      for (const { record } of item.seen) {
        const ids = accountIdentifiers(record.data as Account);
        const normalized = ids.map(normalize).filter((id): id is string => id !== null);
        if (!normalized.some((id) => reachable.has(id))) continue;
        for (const id of normalized) {
          if (reachable.has(id)) continue;
          reachable.add(id);
          grew = true;
        }
        people.link(ids);
      }
    }
    // Nothing new: this pass linked every account on a chain to the seeds, in stream order.
    if (!grew) return people;
  }
}
