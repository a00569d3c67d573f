// The worker count to use (docs/method.md section 2): the smallest k whose speedup is within 10% of the best measured
// one, judged by the upper end of its 95% interval, and whose efficiency is at least 0.5.

export interface SpeedupPoint {
  workers: number;
  speedup: number;
  ci95: [number, number];
  efficiency: number;
}

export type Recommendation =
  | { ok: true; workers: number; reason: string }
  /** Why nothing qualifies, as a sentence for the warnings. */
  | { ok: false; why: string; suggestion: string };

const WITHIN_BEST = 0.9;
const MIN_EFFICIENCY = 0.5;

export function recommendWorkers(points: readonly SpeedupPoint[]): Recommendation {
  const measured = points.filter((p) => Number.isFinite(p.speedup));
  if (measured.length === 0) {
    return {
      ok: false,
      why: 'no worker count has a measured speedup',
      suggestion: 'Check the errors: no pass of this backend was measured.',
    };
  }
  const best = measured.reduce((b, p) => (p.speedup > b.speedup ? p : b));
  const threshold = WITHIN_BEST * best.speedup;
  const candidates = measured
    .filter((p) => p.ci95[1] >= threshold && p.efficiency >= MIN_EFFICIENCY)
    .sort((p, q) => p.workers - q.workers);
  const chosen = candidates[0];
  if (!chosen) {
    const efficient = measured.filter((p) => p.efficiency >= MIN_EFFICIENCY);
    const why =
      efficient.length === 0
        ? `no worker count reaches an efficiency of ${MIN_EFFICIENCY} (the best is ${fixed(Math.max(...measured.map((p) => p.efficiency)))})`
        : `the worker counts with an efficiency of at least ${MIN_EFFICIENCY} (${efficient.map((p) => p.workers).join(', ')}) all stay more than 10% below the best speedup, ${fixed(best.speedup)}x at ${best.workers} workers`;
    // Efficient counts exist but fall short of the best: the fastest of them is still worth naming.
    const fastestEfficient = efficient.reduce<SpeedupPoint | null>(
      (b, p) => (b && b.speedup >= p.speedup ? b : p),
      null,
    );
    const suggestion =
      fastestEfficient && fastestEfficient.ci95[0] > 1
        ? `${fastestEfficient.workers} worker${plural(fastestEfficient.workers)} still give${fastestEfficient.workers === 1 ? 's' : ''} ${fixed(fastestEfficient.speedup)}x at efficiency ${fixed(fastestEfficient.efficiency)}; more workers buy speed at a falling return, so choose by what a core costs you, or give each task more work so the pool scales further.`
        : 'Stay with the serial loop, or give each task more work so parallelism can pay off.';
    return { ok: false, why, suggestion };
  }
  const interval = `95% CI ${fixed(chosen.ci95[0])}-${fixed(chosen.ci95[1])}`;
  const efficiency = `efficiency ${fixed(chosen.efficiency)}`;
  const fewest = Math.min(...measured.map((p) => p.workers));
  let reason: string;
  if (best.ci95[0] <= 1) {
    // Even the best count's interval reaches down to the serial time: there is no clear gain to choose by.
    reason = `No worker count is clearly faster than the serial loop (best ${fixed(best.speedup)}x, 95% CI ${fixed(best.ci95[0])}-${fixed(best.ci95[1])}, at ${best.workers} worker${plural(best.workers)}); ${chosen.workers} worker${plural(chosen.workers)} cost${chosen.workers === 1 ? 's' : ''} least.`;
  } else if (chosen === best) {
    const alone = chosen.workers === fewest ? '' : ', and no smaller count comes within 10% of it';
    reason = `${chosen.workers} worker${plural(chosen.workers)} give${chosen.workers === 1 ? 's' : ''} the best measured speedup, ${fixed(chosen.speedup)}x (${interval}), at ${efficiency}${alone}.`;
  } else {
    reason = `${chosen.workers} worker${plural(chosen.workers)} reach${chosen.workers === 1 ? 'es' : ''} ${fixed(chosen.speedup)}x (${interval}), within 10% of the best measured ${fixed(best.speedup)}x at ${best.workers} workers, at ${efficiency}.`;
  }
  return { ok: true, workers: chosen.workers, reason };
}

function fixed(value: number): string {
  return value.toFixed(2);
}

function plural(count: number): string {
  return count === 1 ? '' : 's';
}
