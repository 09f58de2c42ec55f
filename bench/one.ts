/** Runs one benchmark module's function and prints its section as JSON, with this process's peak memory appended. */
import { peakRssMiB } from './machine.js';
import type { BenchSection } from './section.js';

const [module, run] = process.argv.slice(2);
if (!module || !run) throw new Error('usage: one.ts <module> <function>');
const loaded = (await import(module)) as Record<string, () => Promise<BenchSection>>;
const bench = loaded[run];
if (!bench) throw new Error(`${module} exports no ${run}`);
const section = await bench();
process.stdout.write(JSON.stringify({ ...section, markdown: `${section.markdown.trim()}\n\nPeak resident memory of the benchmark process: ${peakRssMiB()} MiB.\n` }));
