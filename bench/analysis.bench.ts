// The analysis between rounds must stay cheap: convergence of thirty configurations of 10 samples (target
// under 20 ms), and a whole buildReport of the same measurements, timed as the best of several runs.
import { buildReport } from '../runner/analysis/buildReport';
import { convergence } from '../runner/analysis/convergence';
import { configMeasurements, equal, targetMeasurements } from '../test/unit/analysisSynthetic';

/** A stretch factor per sample: 1 plus a deterministic jitter of the given relative size. */
const jitter =
  (size: number, seed: number) =>
  (sample: number): number =>
    1 + size * Math.sin(seed * 7.1 + sample * 2.3);

const serial = configMeasurements({
  backend: 'serial',
  workers: 1,
  durations: equal(10, 0.05),
  samples: 10,
  stretch: jitter(0.02, 5),
});
const others = Array.from({ length: 30 }, (_, i) =>
  configMeasurements({
    backend: 'process',
    workers: 1 + (i % 8),
    durations: equal(10, 0.05),
    samples: 10,
    stretch: jitter(0.02, i),
  }),
);

function best(run: () => void): number {
  run(); // warm the JIT
  let fastest = Infinity;
  for (let i = 0; i < 7; i++) {
    const started = performance.now();
    run();
    fastest = Math.min(fastest, performance.now() - started);
  }
  return fastest;
}

const judged = best(() => convergence(serial, others));
const built = best(() =>
  buildReport([targetMeasurements([serial, ...others])], { errors: [], environment: null }),
);
process.stdout.write(
  [
    '## Analysis between rounds',
    '',
    'Command: `npm run bench -- analysis` (best of 7 runs after a warm-up)',
    '',
    '| work | time | target |',
    '|---|---|---|',
    `| convergence of 30 configurations x 10 samples (2,000 resamples each) | ${judged.toFixed(1)} ms | < 20 ms: ${judged < 20 ? 'met' : 'NOT met'} |`,
    `| buildReport of the same (10,000 resamples per interval) | ${built.toFixed(1)} ms | |`,
    '',
  ].join('\n'),
);
