/**
 * One issue as the collector hands it to the normalizers: its parsed base
 * fields, the raw values of the mapped fields, its complete changelog and the
 * snapshots they came from; plus the small readers every normalizer shares.
 */
import type { Status } from './changelog.js';
import type { BaseFields, History, SiteField } from './schema.js';

export interface IssueFacts {
  key: string;
  /** Browser link of the issue. */
  url: string;
  /** Browser link of any issue on the site, for linked post-mortems. */
  link: (key: string) => string;
  base: BaseFields;
  fields: Record<string, unknown>;
  /** Every changelog entry, however many pages it took. */
  histories: History[];
  /** The URLs of the ticket's remote links, when the stream read them. */
  remoteLinks?: string[];
  sources: string[];
}

/** A mapped field and the config setting that named it (for error messages). */
export interface Mapped {
  setting: string;
  field: SiteField;
}

/** A mapped field's raw value, and how to name it in an error. */
export function valueOf(facts: IssueFacts, mapped: Mapped): { value: unknown; what: string } {
  return { value: facts.fields[mapped.field.id], what: `${mapped.setting} (${mapped.field.id} '${mapped.field.name}') on ${facts.key}` };
}

export function currentStatus(base: BaseFields): Status {
  return { id: base.status.id, name: base.status.name };
}

/** Values compared without case. */
export function caseless(values: string[]): Set<string> {
  return new Set(values.map((value) => value.trim().toLowerCase()));
}
