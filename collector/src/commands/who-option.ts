/** Options that name a person (--by, --reviewer, --subject): signed into an entry for good, so white space is refused. */
import { UsageError } from '@evidentia/audit';

/** A usage error for the first option given as white space only: it names no one. */
export function refuseBlankNames(options: readonly (readonly [option: string, value: string | undefined])[]): void {
  for (const [option, value] of options) {
    if (value !== undefined && value.trim() === '') throw new UsageError(`${option} names no one: it is only white space`);
  }
}
