// The Karp-Flatt experimentally determined serial fraction e(k) = (1/S - 1/k) / (1 - 1/k) (docs/method.md section 2):
// flat across k means true serial work; rising means overhead that grows with k.

/** null at k = 1 (the formula divides by zero there) or when S is not a positive number. */
export function karpFlatt(speedup: number, workers: number): number | null {
  if (workers <= 1 || !(speedup > 0) || !Number.isFinite(speedup)) return null;
  return (1 / speedup - 1 / workers) / (1 - 1 / workers);
}
