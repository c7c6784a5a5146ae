// Medians (with min, max and the samples) and rounding for the report.

export function stats(samples) {
  const sorted = [...samples].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  const median = sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  return { median, min: sorted[0], max: sorted.at(-1), samples };
}

export const round = (x, digits) => (x === undefined || Number.isNaN(x) ? undefined : Number(x.toFixed(digits)));

/** stats() with every number rounded, for the JSON. */
export function rounded(s, digits) {
  return {
    median: round(s.median, digits),
    min: round(s.min, digits),
    max: round(s.max, digits),
    samples: s.samples.map((x) => round(x, digits)),
  };
}
