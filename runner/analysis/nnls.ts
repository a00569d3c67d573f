// Non-negative least squares, min ||A x - y|| subject to x >= 0, by the Lawson-Hanson active-set method
// (Lawson & Hanson, "Solving Least Squares Problems", 1974, chapter 23). Sized for the few unknowns of a fit.

export interface NnlsResult {
  x: number[];
  /** The residual norm ||A x - y||. */
  residual: number;
  iterations: number;
}

/** `rows` is A as an array of rows (m x n); `y` has m entries. Weighting is the caller's: scale rows first. */
export function nnls(rows: readonly (readonly number[])[], y: readonly number[]): NnlsResult {
  const m = rows.length;
  const n = rows[0]?.length ?? 0;
  if (m !== y.length) throw new Error(`nnls: ${m} rows but ${y.length} observations`);
  // Columns scaled to unit norm keep the normal equations well conditioned (1/k and k - 1 differ a lot).
  const scale = Array.from({ length: n }, (_, j) => {
    const norm = Math.sqrt(rows.reduce((sum, row) => sum + row[j]! * row[j]!, 0));
    return norm > 0 ? norm : 1;
  });
  const a = rows.map((row) => row.map((v, j) => v / scale[j]!));
  const tolerance = 1e-12 * Math.max(1, Math.sqrt(y.reduce((s, v) => s + v * v, 0)));

  const x = new Array<number>(n).fill(0);
  const passive = new Array<boolean>(n).fill(false);
  const maxIterations = 3 * n + 10;
  let iterations = 0;

  for (;;) {
    const w = gradient(a, y, x);
    let t = -1;
    for (let j = 0; j < n; j++) {
      if (!passive[j] && w[j]! > tolerance && (t < 0 || w[j]! > w[t]!)) t = j;
    }
    if (t < 0 || iterations >= maxIterations) break;
    iterations += 1;
    passive[t] = true;
    // Inner loop: solve on the passive set; step back toward x while a passive coefficient would go negative.
    for (;;) {
      const z = solvePassive(a, y, passive);
      if (passive.every((p, j) => !p || z[j]! > 0)) {
        for (let j = 0; j < n; j++) x[j] = z[j]!;
        break;
      }
      let alpha = Infinity;
      let blocking = -1;
      for (let j = 0; j < n; j++) {
        if (!passive[j] || z[j]! > 0) continue;
        const denominator = x[j]! - z[j]!;
        const step = denominator > 0 ? x[j]! / denominator : 0;
        if (step < alpha) {
          alpha = step;
          blocking = j;
        }
      }
      for (let j = 0; j < n; j++) x[j] = x[j]! + alpha * (z[j]! - x[j]!);
      // The blocking coefficient lands on zero exactly in theory; rounding must not keep it passive.
      x[blocking] = 0;
      for (let j = 0; j < n; j++) {
        if (passive[j] && x[j]! <= tolerance) {
          passive[j] = false;
          x[j] = 0;
        }
      }
      if (!passive.some(Boolean)) break;
    }
  }
  const solution = x.map((v, j) => Math.max(0, v) / scale[j]!);
  const residual = Math.sqrt(
    rows.reduce((sum, row, i) => {
      const r = row.reduce((s, v, j) => s + v * solution[j]!, 0) - y[i]!;
      return sum + r * r;
    }, 0),
  );
  return { x: solution, residual, iterations };
}

/** w = A^T (y - A x), the negative gradient of half the squared residual. */
function gradient(a: readonly number[][], y: readonly number[], x: readonly number[]): number[] {
  const n = x.length;
  const w = new Array<number>(n).fill(0);
  for (let i = 0; i < a.length; i++) {
    const row = a[i]!;
    let r = y[i]!;
    for (let j = 0; j < n; j++) r -= row[j]! * x[j]!;
    for (let j = 0; j < n; j++) w[j] = w[j]! + row[j]! * r;
  }
  return w;
}

/** Unconstrained least squares on the passive columns (normal equations), zero elsewhere. */
function solvePassive(a: readonly number[][], y: readonly number[], passive: readonly boolean[]): number[] {
  const columns = passive.flatMap((p, j) => (p ? [j] : []));
  const size = columns.length;
  const matrix = columns.map((j) => columns.map((l) => a.reduce((s, row) => s + row[j]! * row[l]!, 0)));
  const rhs = columns.map((j) => a.reduce((s, row, i) => s + row[j]! * y[i]!, 0));
  const solved = solveLinear(matrix, rhs, size);
  const z = new Array<number>(passive.length).fill(0);
  columns.forEach((j, index) => (z[j] = solved[index]!));
  return z;
}

/** Gaussian elimination with partial pivoting; a singular direction (collinear columns) gets 0. */
function solveLinear(matrix: number[][], rhs: number[], size: number): number[] {
  const m = matrix.map((row, i) => [...row, rhs[i]!]);
  for (let col = 0; col < size; col++) {
    let pivot = col;
    for (let r = col + 1; r < size; r++) if (Math.abs(m[r]![col]!) > Math.abs(m[pivot]![col]!)) pivot = r;
    [m[col], m[pivot]] = [m[pivot]!, m[col]!];
    const p = m[col]![col]!;
    if (Math.abs(p) < 1e-14) continue;
    for (let r = 0; r < size; r++) {
      if (r === col) continue;
      const factor = m[r]![col]! / p;
      if (factor === 0) continue;
      for (let c = col; c <= size; c++) m[r]![c] = m[r]![c]! - factor * m[col]![c]!;
    }
  }
  return m.map((row, i) => (Math.abs(row[i]!) < 1e-14 ? 0 : row[size]! / row[i]!));
}
