/** The machine a benchmark ran on, so figures in BENCHMARKS.md can be compared honestly. */
import { cpus, totalmem } from 'node:os';

export function describeMachine(): string {
  const cpu = cpus()[0]?.model.trim() ?? 'unknown CPU';
  return `${cpus().length} × ${cpu}, ${Math.round(totalmem() / 2 ** 30)} GiB RAM, Node ${process.version}, ${process.platform}/${process.arch}`;
}

/** Peak resident memory of this process so far, in MiB. */
export function peakRssMiB(): number {
  return Math.round((process.resourceUsage().maxRSS / 1024) * 10) / 10;
}
