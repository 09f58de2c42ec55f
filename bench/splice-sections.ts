/**
 * `pnpm bench <name>` re-measures some sections only: they replace their
 * namesakes in BENCHMARKS.md (or are appended), each saying when and by
 * which command it was measured, and every other section stays as it was.
 */
import type { BenchSection } from './section.js';

export function spliceSections(existing: string, sections: BenchSection[], command: string, date: string): string {
  // Each part after the first starts with a section's title line.
  const parts = existing.split(/^(?=## )/m);
  for (const section of sections) {
    const body = `## ${section.title}\n\n_Measured on ${date} by \`${command}\` on the machine above; the other sections are from the date above._\n\n${section.markdown.trim()}\n`;
    const at = parts.findIndex((part) => part.startsWith(`## ${section.title}\n`));
    if (at === -1) parts.push(`${parts.at(-1)!.endsWith('\n\n') ? '' : '\n'}${body}`);
    else parts[at] = `${body}${at < parts.length - 1 ? '\n' : ''}`;
  }
  return parts.join('');
}
