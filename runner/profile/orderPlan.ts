// --order longest-first: each pool that takes an order is measured again with the inputs submitted longest first,
// by the serial warm-up's task times, beside the given order, so the report holds the measured gain.
import type { PoolConfig, TaskTiming } from '../../protocol/harness';
import { longestFirst, ORDERED_BACKENDS } from '../../protocol/taskOrder';

/** The input indices longest first by the serial warm-up's tasks; null where it timed no task. */
export function longestFirstOrder(tasks: readonly TaskTiming[], inputs: number): number[] | null {
  if (inputs < 1 || tasks.length === 0) return null;
  const seconds = new Array<number>(inputs).fill(0);
  for (const t of tasks) if (t.input >= 0 && t.input < inputs) seconds[t.input] = t.end - t.start;
  return longestFirst(seconds);
}

/** The configurations, each orderable pool at the backend's own chunking followed by its longest-first twin. */
export function withLongestFirst(configs: readonly PoolConfig[], order: number[]): PoolConfig[] {
  return configs.flatMap((config) =>
    ORDERED_BACKENDS.has(config.backend) && config.chunksize === undefined && config.order === undefined
      ? [config, { ...config, id: `${config.id}-lf`, order, taskOrder: 'longest-first' as const }]
      : [config],
  );
}
