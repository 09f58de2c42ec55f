/** One section of BENCHMARKS.md, produced by one benchmark module. */
export interface BenchSection {
  title: string;
  /** Markdown body: what was measured, how, and the figures. */
  markdown: string;
}
