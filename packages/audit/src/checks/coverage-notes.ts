/**
 * What a check's result does not cover: the open coverage gaps, in the
 * period, of the configured streams it judged (those of the kinds it reads
 * that it applies to). A check
 * judges what was collected; a pass over a stream that was not collected for
 * two months of the period says nothing about those months, so `check` says
 * so beside the result (and `--strict` fails on it), as the report and the
 * OSCAL findings do by never counting such a criterion as satisfied.
 */
import { gapList, minute } from '../coverage/render.js';
import type { Ledger } from '../coverage/types.js';
import type { CheckOutcome } from './runner.js';

export interface CoverageNote {
  stream: string;
  /** The open gaps, oldest first, as `since..until`. */
  gaps: string[];
  /** The checks reading the stream's kind. */
  checks: string[];
}

/** Per configured stream with an open gap in the period, the checks that judged its evidence. */
export function coverageNotes(checks: readonly Pick<CheckOutcome, 'id' | 'streams'>[], ledger: Pick<Ledger, 'streams'>): CoverageNote[] {
  const notes: CoverageNote[] = [];
  for (const stream of ledger.streams) {
    const reading = checks.filter((check) => check.streams?.includes(stream.stream)).map((check) => check.id);
    const gaps = stream.gaps.filter((gap) => gap.status === 'open').sort((a, b) => a.since.localeCompare(b.since));
    if (reading.length > 0 && gaps.length > 0) notes.push({ stream: stream.stream, gaps: gaps.map((gap) => `${minute(gap.since)}..${minute(gap.until)}`), checks: reading });
  }
  return notes.sort((a, b) => a.stream.localeCompare(b.stream));
}

/** One line per stream: "note: github/pull_requests has 1 open coverage gap in the period (…): pull-request-approved, … judged only what was collected (see coverage)". */
export function renderCoverageNote(note: CoverageNote): string {
  return `note: ${note.stream} has ${note.gaps.length} open coverage gap${note.gaps.length === 1 ? '' : 's'} in the period (${gapList(note.gaps)}): ${note.checks.join(', ')} judged only what was collected, not that time (see coverage)`;
}

/** At most this many notes are printed one per stream; more become one line naming the streams. */
const EACH_UP_TO = 3;

/** The lines `check` prints: one per stream, or one for all when many streams have gaps (a first collection, a long outage). */
export function coverageNoteLines(notes: readonly CoverageNote[]): string[] {
  if (notes.length <= EACH_UP_TO) return notes.map(renderCoverageNote);
  const checks = new Set(notes.flatMap((note) => note.checks));
  return [`note: ${notes.length} streams the checks judged have open coverage gaps in the period (${notes.map((note) => note.stream).join(', ')}): ${checks.size} check(s) judged only what was collected, not that time (see coverage)`];
}
