/**
 * Nearest-rank percentile (the smallest value with at least p% of the values at or below it):
 * always one of the observed values, so a p90 of 3 answers is the slowest of them, never an
 * interpolation nobody saw. Null for no values.
 */
export function percentile(values: readonly number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1] ?? null;
}
