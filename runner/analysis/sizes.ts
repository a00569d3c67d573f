// Scaling across input sizes (docs/method.md section 10): efficiency against size per worker count, the
// isoefficiency point, and weak scaling's scaled speedup against Gustafson's line. Pure, over the built runs.
import type { Isoefficiency, Run, SizeSweep, WeakPoint } from '../../protocol/report';

/** The efficiency an isoefficiency point is the smallest size for. */
export const ISOEFFICIENCY = 0.8;

/** The sweeps of a report's sized runs: one per target, backend, start method and runtime. */
export function sizeSweeps(runs: readonly Run[], weak: boolean): SizeSweep[] {
  const groups = new Map<string, Run[]>();
  for (const run of runs) {
    if (run.backend === 'serial' || run.inputSize === null || run.inputSize === undefined) continue;
    const key = [run.target.file, run.target.function, run.backend, run.startMethod ?? '', run.runtime ?? ''];
    const list = groups.get(key.join('\u0000')) ?? [];
    list.push(run);
    groups.set(key.join('\u0000'), list);
  }
  return [...groups.values()].map((group) => sweepOf(group, runs, weak));
}

function sweepOf(group: Run[], all: readonly Run[], weak: boolean): SizeSweep {
  const sorted = [...group].sort((a, b) => a.inputSize! - b.inputSize!);
  const first = sorted[0]!;
  const counts = [...new Set(sorted.flatMap((run) => run.points.map((p) => p.workers)))].sort(
    (a, b) => a - b,
  );
  const efficiency = counts.map((workers) => ({
    workers,
    points: sorted.flatMap((run) => {
      const point = run.points.find((p) => p.workers === workers);
      return point ? [{ inputSize: run.inputSize!, efficiency: point.efficiency }] : [];
    }),
  }));
  const sweep: SizeSweep = {
    target: first.target,
    backend: first.backend,
    ...(first.startMethod ? { startMethod: first.startMethod } : {}),
    ...(first.runtime ? { runtime: first.runtime } : {}),
    label: (first.label ?? first.target.function).replace(/ · n=\d+$/, ''),
    weak,
    sizes: sorted.map((run) => run.inputSize!),
    efficiency,
    isoefficiency: weak ? [] : efficiency.map((e) => isoefficiency(e.workers, e.points)),
  };
  if (!weak) return sweep;
  const weakPoints = weakScaling(sorted, all);
  return { ...sweep, ...weakPoints };
}

/**
 * The smallest measured size with E(k) >= 0.8. Below it, between the last size under 0.8 and it, the crossing is
 * interpolated linearly in log-size and labelled so; at the smallest size it is that size (it may be smaller).
 */
export function isoefficiency(
  workers: number,
  points: readonly { inputSize: number; efficiency: number }[],
): Isoefficiency {
  const sorted = [...points].sort((a, b) => a.inputSize - b.inputSize);
  const index = sorted.findIndex((p) => p.efficiency >= ISOEFFICIENCY);
  if (index < 0) {
    const best = Math.max(...sorted.map((p) => p.efficiency));
    return {
      workers,
      inputSize: null,
      interpolated: false,
      note: `no measured size reaches E(${workers}) >= ${ISOEFFICIENCY} (best ${best.toFixed(2)}): measure larger sizes`,
    };
  }
  const at = sorted[index]!;
  if (index === 0) {
    return {
      workers,
      inputSize: at.inputSize,
      interpolated: false,
      note: `E(${workers}) = ${at.efficiency.toFixed(2)} already at the smallest measured size, n = ${at.inputSize}`,
    };
  }
  const below = sorted[index - 1]!;
  const fraction = (ISOEFFICIENCY - below.efficiency) / (at.efficiency - below.efficiency);
  const logSize = Math.log(below.inputSize) + fraction * (Math.log(at.inputSize) - Math.log(below.inputSize));
  const size = Math.exp(logSize);
  return {
    workers,
    inputSize: size,
    interpolated: true,
    note: `interpolated in log-size between n = ${below.inputSize} (E ${below.efficiency.toFixed(2)}) and n = ${at.inputSize} (E ${at.efficiency.toFixed(2)}): n ≈ ${size.toPrecision(3)}`,
  };
}

/** Scaled speedups k T(1, n0) / T(k, k n0), with the serial loop at n0 as T(1, n0), and Gustafson's fitted line. */
function weakScaling(
  sorted: readonly Run[],
  all: readonly Run[],
): Pick<SizeSweep, 'weakPoints' | 'gustafsonSerialFraction'> {
  const base = sorted[0]!.inputSize!;
  const reference = all.find(
    (run) =>
      run.backend === 'serial' &&
      run.inputSize === base &&
      run.target.file === sorted[0]!.target.file &&
      run.target.function === sorted[0]!.target.function &&
      run.runtime === sorted[0]!.runtime,
  )?.points[0];
  if (!reference) return { weakPoints: [], gustafsonSerialFraction: null };
  const measured = sorted.flatMap((run) =>
    run.points.map((p) => ({
      workers: p.workers,
      inputSize: run.inputSize!,
      scaledSpeedup: (p.workers * reference.wallSeconds.mean) / p.wallSeconds.mean,
      computationScalability:
        reference.computeSeconds !== undefined && p.computeSeconds
          ? (p.workers * reference.computeSeconds) / p.computeSeconds
          : null,
    })),
  );
  // S(k) = k - s (k - 1): least squares for s over k >= 2, clamped to [0, 1].
  let num = 0;
  let den = 0;
  for (const p of measured) {
    num += (p.workers - p.scaledSpeedup) * (p.workers - 1);
    den += (p.workers - 1) ** 2;
  }
  const s = den > 0 ? Math.min(1, Math.max(0, num / den)) : null;
  const weakPoints: WeakPoint[] = measured.map((p) => ({
    ...p,
    gustafson: p.workers - (s ?? 0) * (p.workers - 1),
  }));
  return { weakPoints, gustafsonSerialFraction: s };
}
