/**
 * Matching people across systems. A person is known by identifiers: email
 * addresses, logins, SSO identities and employee ids, compared
 * case-insensitively. `people.aliases` in the config ties other identifiers
 * to a primary email (a GitHub login, a personal address); identifiers that
 * appear together on one source (an HR record's email and employee id, an
 * account's email, SSO identity and login) are tied together, so a chain of
 * such ties joins them into one person. A person is *known* when configured,
 * named in a personnel record or a directory; an account that matches no
 * known person is a finding, never dropped.
 */
import type { Actor, RecordData } from '@evidentia/evidence';

type Identifier = string | null | undefined;

/** An identifier as the directory compares it (trimmed, lower case), or null when empty. */
export function normalize(id: Identifier): string | null {
  const trimmed = id?.trim().toLowerCase();
  return trimmed ? trimmed : null;
}

/** The other addresses the account's system holds for it (`attributes.aliases`, e.g. Google's email aliases, an old name's address among them). */
function systemAliases(account: Pick<RecordData<'access.account'>, 'attributes'>): string[] {
  const aliases = account.attributes?.aliases;
  return Array.isArray(aliases) ? aliases.filter((alias): alias is string => typeof alias === 'string') : [];
}

/** The identifiers an account can be recognized by: email, SSO identity, account id (login) and the aliases its system holds. */
export function accountIdentifiers(account: Pick<RecordData<'access.account'>, 'email' | 'ssoIdentity' | 'accountId' | 'attributes'>): string[] {
  return [...new Set([account.email, account.ssoIdentity, account.accountId, ...systemAliases(account)].flatMap((id) => (id ? [id] : [])))];
}

export function actorIdentifiers(actor: Actor | null | undefined): string[] {
  return actor ? [actor.login, actor.email].flatMap((id) => (id ? [id] : [])) : [];
}

export class PeopleDirectory {
  /** Union-find over identifiers: each identifier's parent, and the order it was first seen (the oldest of a group names the person). */
  private readonly parent = new Map<string, string>();
  private readonly order = new Map<string, number>();
  /** Roots of groups that are known people (configured, in HR records or a directory), not merely linked. */
  private readonly known = new Set<string>();

  /** `aliases`: primary email → the person's other identifiers. Aliased people are known people, named by the primary. */
  constructor(aliases: Readonly<Record<string, readonly string[]>> = {}) {
    for (const [primary, others] of Object.entries(aliases)) this.register([primary, ...others]);
  }

  private find(id: string): string {
    let root = id;
    while (this.parent.get(root) !== root) root = this.parent.get(root)!;
    let node = id;
    while (node !== root) {
      const next = this.parent.get(node)!;
      this.parent.set(node, root);
      node = next;
    }
    return root;
  }

  private add(id: string): void {
    if (this.parent.has(id)) return;
    this.parent.set(id, id);
    this.order.set(id, this.order.size);
  }

  /** Tie identifiers together as one person (they appear on one account or record) without making the person known. */
  link(ids: Identifier[]): string | null {
    const normalized = ids.map(normalize).filter((id): id is string => id !== null);
    if (normalized.length === 0) return null;
    for (const id of normalized) this.add(id);
    let root = this.find(normalized[0]!);
    for (const id of normalized.slice(1)) {
      const other = this.find(id);
      if (other === root) continue;
      const [keep, drop] = this.order.get(root)! <= this.order.get(other)! ? [root, other] : [other, root];
      this.parent.set(drop, keep);
      if (this.known.delete(drop)) this.known.add(keep);
      root = keep;
    }
    return root;
  }

  /** Make the identifiers one known person (joining any group they already belong to); returns the person. */
  register(ids: Identifier[]): string | null {
    const root = this.link(ids);
    if (root !== null) this.known.add(root);
    return root;
  }

  /** The known person any of the identifiers belongs to, or null. */
  personOf(ids: Identifier[]): string | null {
    for (const id of ids) {
      const normalized = normalize(id);
      if (normalized === null || !this.parent.has(normalized)) continue;
      const root = this.find(normalized);
      if (this.known.has(root)) return root;
    }
    return null;
  }

  /** Whether two sets of identifiers name the same person: a shared identifier, or identifiers tied together. */
  samePerson(a: Identifier[], b: Identifier[]): boolean {
    const roots = (ids: Identifier[]) => new Set(ids.map(normalize).filter((id): id is string => id !== null).map((id) => (this.parent.has(id) ? this.find(id) : id)));
    const left = roots(a);
    return [...roots(b)].some((root) => left.has(root));
  }

  /** Every identifier the directory holds (normalized): the configured aliases, and what was linked or registered since. */
  identifiers(): IterableIterator<string> {
    return this.parent.keys();
  }

  /** A copy to extend (with directory accounts, HR records) without changing the configured one. */
  clone(): PeopleDirectory {
    const copy = new PeopleDirectory();
    for (const [id, parent] of this.parent) copy.parent.set(id, parent);
    for (const [id, order] of this.order) copy.order.set(id, order);
    for (const root of this.known) copy.known.add(root);
    return copy;
  }
}
