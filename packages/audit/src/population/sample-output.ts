/** A sample as a terminal table, a CSV file (with the seed and method in `#` lines, each one CSV cell) or JSON. */
import { renderTable, terminalSafe } from '../table.js';
import { csvCommentLine, csvLine } from './csv.js';
import { coverageGapLines, type CoverageGapSource, gapsText } from './empty-reason.js';
import type { Sample } from './sample.js';

const gapNote = (source: CoverageGapSource) => `note: ${terminalSafe(source.stream)} has ${terminalSafe(gapsText(source))}: the population may lack its ${terminalSafe(source.kind)} items of that time (see coverage)`;
const gapsNote = (count: number, streams: string) =>
  `note: ${count} streams the population draws from have open coverage gaps in the period (${terminalSafe(streams)}): it may lack their items of those times (see coverage; the population's IPE header names each stream's gaps)`;

/**
 * The lines above the picks. On a terminal, more than three streams with coverage gaps are one line; the
 * sample's file names each, as the population's IPE header does.
 */
function about(sample: Sample, terminal: boolean): string[] {
  const p = sample.population;
  return [
    `method: ${sample.method}; seed: ${sample.seed}; size: ${sample.size} of ${p.items}${sample.all ? ' (--all: every item of the population drawn)' : ''}`,
    `population: ${p.file} (sha256 ${p.sha256}; record digest ${p.recordDigest})${p.criterion ? `; criterion ${p.criterion}` : ''}${p.kind ? `; kind ${p.kind}` : ''}${p.period ? `; period ${p.period.since} to ${p.period.until}` : ''}`,
    ...(p.period?.requested ? [`note: --period ${p.period.requested} ends after now: the population holds the evidence up to ${p.period.until}${p.file.startsWith('--') ? ', the end the re-run line names, so a later re-run draws from the same span' : ''}`] : []),
    // A reason can carry a failed run's error, in the source's own words.
    ...p.missingSources.map((source) => `note: the population may lack items of ${terminalSafe(source.stream)}, which has no usable evidence of the period (${terminalSafe(source.reason)})`),
    ...(terminal ? coverageGapLines(p.coverageGaps, gapNote, gapsNote) : p.coverageGaps.map(gapNote)),
    // One kind per population: the other kinds serving the criterion are populations of their own, not sampled here.
    ...p.otherKinds.map((other) => `note: ${other.items} ${other.kind} item(s) also serve ${p.criterion ?? ''} and are not in this sample: sample them with --kind ${other.kind}${p.period ? ` --period ${p.period.since}..${p.period.until}` : ''}`),
    `re-run: evidentia sample ${p.file.startsWith('--') ? p.file : `--population ${p.file}`} ${sample.all ? '--all' : `--size ${sample.size}`} --seed ${JSON.stringify(sample.seed)}`,
  ];
}

export function renderSample(sample: Sample): string {
  const rows = sample.picks.map((pick) => [pick.pick, pick.row, pick.kind, pick.system, pick.key, pick.summary, pick.recordHash.slice(0, 12)]);
  return `${about(sample, true).join('\n')}\n\n${renderTable(['pick', 'row', 'kind', 'system', 'key', 'summary', 'record'], rows)}`;
}

export function sampleCsv(sample: Sample): string {
  const header = [...about(sample, false), `sample-json: ${JSON.stringify({ ...sample, picks: undefined })}`].map(csvCommentLine).join('') + '\r\n';
  const rows = sample.picks.map((pick) => csvLine([String(pick.pick), String(pick.row), pick.kind, pick.system, pick.key, pick.summary, pick.recordHash]));
  return header + csvLine(['pick', 'row', 'kind', 'system', 'key', 'summary', 'record_hash']) + rows.join('');
}
