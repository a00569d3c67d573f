// The fastest way to get the same result: with several targets, every (target, backend, k) configuration ranked by
// wall time among the targets whose results hash equally, and a headline per group, e.g. "complex_operation_numpy,
// serial: 15.2x faster than the best pool of complex_operation". Targets whose results differ are ranked apart.
// Pure, over the built runs.
import type { RankingEntry, RankingHeadline, Run } from '../../protocol/report';
import { BOOTSTRAP_RESAMPLES, speedupInterval } from './bootstrap';
import { mean } from './stats';

interface Candidate {
  entry: Omit<RankingEntry, 'rank' | 'group' | 'sameResultsAs'>;
  samples: readonly number[];
}

const targetName = (run: Run): string => `${run.target.function} (${run.target.file})`;

export function rankTargets(runs: readonly Run[]): { ranking: RankingEntry[]; headlines: RankingHeadline[] } {
  const targets = new Set(runs.map(targetName));
  if (targets.size < 2) return { ranking: [], headlines: [] };
  const groups = new Map<string, Run[]>();
  for (const run of runs) {
    if (run.resultHash === undefined || run.points.length === 0) continue;
    const key = `${run.resultHash}\u0000${run.inputSize ?? ''}`;
    groups.set(key, [...(groups.get(key) ?? []), run]);
  }
  const ranking: RankingEntry[] = [];
  const headlines: RankingHeadline[] = [];
  const apart = groups.size > 1;
  [...groups.values()].forEach((group, index) => {
    const candidates = group
      .flatMap(candidatesOf)
      .sort((a, b) => a.entry.wallSeconds.mean - b.entry.wallSeconds.mean);
    const names = [...new Set(group.map(targetName))];
    candidates.forEach((c, i) =>
      ranking.push({
        ...c.entry,
        rank: i + 1,
        group: index,
        sameResultsAs: names.filter((name) => name !== c.entry.target),
      }),
    );
    headlines.push(headline(index, candidates, apart));
  });
  return { ranking, headlines };
}

function candidatesOf(run: Run): Candidate[] {
  return run.points.map((p) => ({
    entry: {
      target: targetName(run),
      backend: run.backend,
      label: run.label ?? run.backend,
      workers: p.workers,
      wallSeconds: { mean: p.wallSeconds.mean, ci95: p.wallSeconds.ci95 },
    },
    samples: p.wallSeconds.samples,
  }));
}

function headline(group: number, candidates: Candidate[], apart: boolean): RankingHeadline {
  const note = apart
    ? 'Targets in other groups return different results (their result hashes differ): they compute different things, so they are ranked apart.'
    : undefined;
  const best = candidates[0]!;
  const others = [...new Set(candidates.map((c) => c.entry.target))].filter((t) => t !== best.entry.target);
  const name = `${best.entry.target.replace(/ \(.*\)$/, '')}, ${describe(best)}`;
  // Against the best pool of each other target (its serial loop where it has no pool), the slowest first.
  const rivals = others.map(
    (t) =>
      candidates.find((c) => c.entry.target === t && c.entry.backend !== 'serial') ??
      candidates.find((c) => c.entry.target === t)!,
  );
  if (rivals.length === 0) {
    return {
      group,
      text: `${name}: the fastest (the only target with these results)`,
      ratio: null,
      ...(note ? { note } : {}),
    };
  }
  const rival = rivals[0]!;
  const ratio = {
    mean: mean(rival.samples) / mean(best.samples),
    ci95: speedupInterval(rival.samples, best.samples, BOOTSTRAP_RESAMPLES),
  };
  const what = rival.entry.backend === 'serial' ? 'the serial loop' : 'the best pool';
  const text = `${name}: ${ratio.mean.toFixed(1)}x [${ratio.ci95[0].toFixed(1)}, ${ratio.ci95[1].toFixed(1)}] faster than ${what} of ${rival.entry.target.replace(/ \(.*\)$/, '')} (${describe(rival)})`;
  return { group, text, ratio, ...(note ? { note } : {}) };
}

function describe(c: Candidate): string {
  const detail = c.entry.label.split(' · ')[1] ?? c.entry.backend;
  const k = c.entry.workers;
  return c.entry.backend === 'serial' ? detail : `${detail}, ${k} worker${k === 1 ? '' : 's'}`;
}
