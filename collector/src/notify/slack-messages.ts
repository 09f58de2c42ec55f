/**
 * The text of Slack notifications, pure: one concise message per event
 * (a run that failed or was partial, or could not be recorded at all; a
 * checkpoint a witness did not take;
 * declared gaps; new check exceptions),
 * or null when there is nothing to say. Everything that comes from evidence
 * (stream names, errors, reasons, item keys) is escaped for Slack mrkdwn, so
 * an API error quoting `<!channel>` or a key like `<https://evil|click>`
 * cannot ping a channel or plant a link.
 */
import type { Manifest, SignedCheckpoint } from '@evidentia/locker';
import type { ExceptionExample } from '@evidentia/audit';
import type { ExceptionNotice, GapNotice, UnrecordedRunNotice, UnwitnessedCheckpointNotice } from './notifier.js';

/** Items listed in one message; the rest are counted. */
const MAX_LINES = 10;
const MAX_EXAMPLES = 3;
const MAX_TEXT = 300;

/** Slack's three control characters (&, <, >) as the entities Slack documents. */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Escaped, on one line, and cut to a readable length. */
function quote(text: string): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return escapeMrkdwn(line.length > MAX_TEXT ? `${line.slice(0, MAX_TEXT - 1)}…` : line);
}

function listed<T>(items: T[], line: (item: T) => string, noun: string): string[] {
  const lines = items.slice(0, MAX_LINES).map((item) => `• ${line(item)}`);
  if (items.length > MAX_LINES) lines.push(`• … and ${items.length - MAX_LINES} more ${noun}`);
  return lines;
}

const plural = (count: number, one: string, many = `${one}s`) => `${count} ${count === 1 ? one : many}`;

/** A run that was not complete: which streams failed and why. Null for a complete run. */
export function runMessage(manifest: Manifest): string | null {
  if (manifest.status === 'complete') return null;
  const failed = manifest.streams.filter((stream) => stream.status !== 'complete');
  const partial = failed.filter((stream) => stream.status === 'partial').length;
  const counts = partial === 0 ? 'failed' : partial === failed.length ? 'incomplete' : `failed or incomplete (${partial} partial)`;
  const head = `:warning: *evidentia collection ${quote(manifest.status)}*: ${failed.length} of ${plural(manifest.streams.length, 'stream')} ${counts} (run ${quote(manifest.runId)}, manifest #${manifest.sequence}, trigger ${quote(manifest.trigger)})`;
  const lines = listed(failed, (s) => `\`${quote(`${s.instance}/${s.stream}`)}\` ${s.status}: ${quote(s.error ?? 'failed without an error message')}`, 'streams');
  return [head, ...lines].join('\n');
}

/** A run that left no manifest: why, and what it was to collect. */
export function unrecordedRunMessage(notice: UnrecordedRunNotice): string {
  const head = `:warning: *evidentia collection run could not be recorded* (trigger ${quote(notice.trigger)}): ${quote(notice.error)}`;
  return [head, ...listed(notice.streams, (stream) => `\`${quote(stream)}\` not collected`, 'streams')].join('\n');
}

/** A sealed run's checkpoint that witnesses missed: which, and why (the evidence is committed; rollback detection is behind). */
export function unwitnessedCheckpointMessage(notice: UnwitnessedCheckpointNotice): string {
  const head = `:warning: *evidentia checkpoint #${notice.sequence} was not taken by ${plural(notice.warnings.length, 'witness', 'witnesses')}* (run ${quote(notice.runId)}): the run is committed, but a rollback of the locker past the last checkpoint they hold would go unnoticed`;
  return [head, ...listed(notice.warnings, (warning) => quote(warning), 'witnesses')].join('\n');
}

function when(time: string | null): string {
  return time === null ? 'the beginning' : quote(time);
}

/** Declared gaps: stream, range and reason for each. Null when there are none. */
export function gapsMessage(gaps: GapNotice[]): string | null {
  if (gaps.length === 0) return null;
  const head = `:hole: *evidentia declared ${plural(gaps.length, 'coverage gap')}*: evidence for these ranges cannot be collected`;
  const lines = listed(gaps, ({ stream, gap }) => `\`${quote(stream)}\` ${when(gap.since)} → ${quote(gap.until)}: ${quote(gap.reason)}`, 'gaps');
  return [head, ...lines].join('\n');
}

/** An item as an exception notice names it: accepted (still an exception) or open again when its acceptance no longer holds. */
function exampleText({ item, acceptance }: ExceptionExample): string {
  if (!acceptance) return quote(item);
  if (acceptance.status === 'accepted') return `${quote(item)} (accepted, #${acceptance.id} until ${quote(acceptance.until)})`;
  const why = acceptance.status === 'lapsed' ? `lapsed after ${quote(acceptance.until)}` : 'was revoked';
  return `${quote(item)} (open again: acceptance #${acceptance.id} ${why})`;
}

/** New check exceptions: a count per check (accepted ones in it, said as such) and a few example items. Null when there are none. */
export function exceptionsMessage(exceptions: ExceptionNotice[]): string | null {
  const failing = exceptions.filter((notice) => notice.exceptions > 0);
  if (failing.length === 0) return null;
  const total = failing.reduce((sum, notice) => sum + notice.exceptions, 0);
  const accepted = failing.reduce((sum, notice) => sum + (notice.accepted ?? 0), 0);
  const acceptedText = accepted === 0 ? '' : `, ${accepted === total ? 'all' : accepted} accepted (still exceptions, never passes)`;
  const head = `:x: *evidentia found ${plural(total, 'new check exception')}* in ${plural(failing.length, 'check')}${acceptedText}`;
  const lines = listed(
    failing,
    (notice) => {
      const examples = notice.examples.slice(0, MAX_EXAMPLES).map(exampleText).join(', ');
      const of = notice.accepted ? ` (${notice.accepted} accepted)` : '';
      return `*${quote(notice.title)}* (\`${quote(notice.check)}\`): ${plural(notice.exceptions, 'exception')}${of}${examples ? `, e.g. ${examples}` : ''}`;
    },
    'checks',
  );
  return [head, ...lines].join('\n');
}

/**
 * A sealed run's checkpoint (the Slack witness): the head manifest hash in the
 * channel's history, and the whole signed checkpoint for anyone who wants to
 * check it later. Every part is hex, base64, an ISO time or a run id.
 */
export function checkpointMessage(signed: SignedCheckpoint): string {
  const { checkpoint: c } = signed;
  return [
    `:lock: *evidentia checkpoint* #${c.sequence}: head manifest \`${c.head}\` (run \`${quote(c.runId)}\`, ${quote(c.time)})`,
    `\`\`\`${escapeMrkdwn(JSON.stringify(signed))}\`\`\``,
  ].join('\n');
}
