/**
 * @module
 * Benchmark results and the table they are reported in.
 */

/** One measured figure, usually as a ratio to a baseline measured in the same run. */
export interface BenchResult {
  name: string;
  value: number;
  unit: string;
  baseline?: number;
  baselineName?: string;
  /** The least acceptable ratio value/baseline. */
  target?: number;
  detail?: string;
  /** For results without a baseline: whether the target was met. */
  pass?: boolean;
}

const fmt = (n: number) => (n >= 100 ? Math.round(n).toLocaleString('en-US') : n.toFixed(2));

/** A Markdown table of results. */
export function table(results: readonly BenchResult[]): string {
  const lines = ['| Benchmark | Result | Baseline | Ratio | Target | Met |', '| --- | --- | --- | --- | --- | --- |'];
  for (const r of results) {
    const ratio = r.baseline ? r.value / r.baseline : undefined;
    const met = r.pass ?? (ratio !== undefined && r.target !== undefined ? ratio >= r.target : undefined);
    lines.push(`| ${r.name} | ${fmt(r.value)} ${r.unit}${r.detail ? ` (${r.detail})` : ''} | ${r.baseline ? `${fmt(r.baseline)} ${r.unit}, ${r.baselineName}` : '—'} | ${ratio ? `${ratio.toFixed(2)}×` : '—'} | ${r.target !== undefined ? `≥ ${r.target}×` : '—'} | ${met === undefined ? '—' : met ? 'yes' : 'NO'} |`);
  }
  return lines.join('\n');
}
