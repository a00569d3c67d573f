// --order longest-first: each pool that takes an order is measured again with the inputs submitted longest first,
// by the serial warm-up's task times, beside the given order, so the report holds the measured gain.
import type { PoolConfig } from '../../protocol/harness';
import { longestFirst, ORDERED_BACKENDS } from '../../protocol/taskOrder';

/** The input indices longest first by the serial warm-up's task durations (by input); null where it timed none. */
export function longestFirstOrder(durations: ArrayLike<number>, inputs: number): number[] | null {
  if (inputs < 1 || durations.length === 0) return null;
  const seconds = new Array<number>(inputs).fill(0);
  for (let input = 0; input < Math.min(inputs, durations.length); input += 1)
    seconds[input] = durations[input]!;
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
