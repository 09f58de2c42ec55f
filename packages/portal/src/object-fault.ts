/**
 * A page that needed an object of the locker (a raw response, a manifest, a
 * record set) whose file is missing, cannot be read or no longer hashes to its name: the
 * locker fails verification there. The portal says which object and what to
 * do (409, not a generic 500) and never serves the bytes: the locker's read
 * refuses them before anything is sent.
 */
import { LockerObjectError } from '@evidentia/locker';
import { html, type SafeHtml } from '@evidentia/publish';

export interface ObjectFault {
  hash: string;
  state: LockerObjectError['state'];
}

// The locker's wording (objects.ts), for an error that lost its class on the way (structured clone keeps only the message).
const WORDED = /^object ([0-9a-f]{64}) (is altered|is missing|is stored as a delta)/;

/** The object a failed read names, or null for any other failure. */
export function objectFault(error: unknown): ObjectFault | null {
  if (error instanceof LockerObjectError) return { hash: error.hash, state: error.state };
  const worded = error instanceof Error ? WORDED.exec(error.message) : null;
  if (!worded) return null;
  return { hash: worded[1]!, state: worded[2] === 'is altered' || error instanceof Error && error.message.includes('altered') ? 'altered' : 'missing' };
}

export const OBJECT_FAULT_STATUS = 409;

export function objectFaultPage(fault: ObjectFault): SafeHtml {
  const what =
    fault.state === 'missing' ? 'is missing from the locker' : fault.state === 'unreadable' ? 'cannot be read from the locker' : 'does not hash to its name: its stored bytes were altered';
  return html`<section id="object-fault"><p class="error" role="alert">The locker's object <code>${fault.hash}</code> ${what}, so this page cannot be shown and its bytes are not served.</p>
<p>The locker fails verification here. Run <code>evidentia verify</code> on it (the team can start one from the Runs page) to see every object and chain affected, and restore the locker from a backup or export.</p></section>`;
}
