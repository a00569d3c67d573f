// The POP efficiency metrics of a point (docs/method.md section 8): the schema, and the table every surface shows.
import { z } from 'zod';

const num = z.number();

export const Pop = z.object({
  loadBalance: num,
  communicationEfficiency: num,
  /** POP's Serialisation: waiting on the feeder's order, not pickling (that is Transfer). */
  serializationEfficiency: num,
  transferEfficiency: num,
  parallelEfficiency: num,
  computationScalability: num,
  globalEfficiency: num,
  /** CPU seconds per useful (in-task) second; falling as k grows: tasks wait off-CPU (GIL, oversubscription). */
  cpuUsefulRatio: num.nullable().optional(),
  /** The mean pass time T the ratios use (the passes of the overhead split), and the replay's T_ideal. */
  passSeconds: num.optional(),
  idealSeconds: num.optional(),
});
export type Pop = z.infer<typeof Pop>;

/** POP reports mark values under this. */
export const POP_LOW = 0.8;

/** The rows of the POP table in POP's order and nesting; cpuUsefulRatio is a ratio, not an efficiency. */
export const POP_ROWS: readonly {
  key: keyof Pop;
  name: string;
  indent: number;
  efficiency: boolean;
}[] = [
  { key: 'globalEfficiency', name: 'Global efficiency', indent: 0, efficiency: true },
  { key: 'parallelEfficiency', name: 'Parallel efficiency', indent: 1, efficiency: true },
  { key: 'loadBalance', name: 'Load balance', indent: 2, efficiency: true },
  { key: 'communicationEfficiency', name: 'Communication efficiency', indent: 2, efficiency: true },
  { key: 'serializationEfficiency', name: 'Serialisation efficiency', indent: 3, efficiency: true },
  { key: 'transferEfficiency', name: 'Transfer efficiency', indent: 3, efficiency: true },
  { key: 'computationScalability', name: 'Computation scalability', indent: 1, efficiency: true },
  { key: 'cpuUsefulRatio', name: 'CPU / useful time', indent: 2, efficiency: false },
];

/** The naming trap, said wherever the table is shown. */
export const POP_NAMING_NOTE =
  "POP's names: Transfer is what moving work and results costs (Amdahl's dispatch and serialization, i.e. " +
  "pickling or structured cloning); POP's Serialisation is waiting on a dependency or the feeder's order, not " +
  'pickling. Values under 0.8 are marked: those are the ones to look at.';

/** One cell of the POP table: the value as shown (two decimals, "–" where unknown) and whether it is marked. */
export interface PopCell {
  text: string;
  low: boolean;
}

/** The POP table of one run's points as every surface shows it: a row per metric, a column per k. */
export function popTable(points: readonly { workers: number; pop?: Pop | undefined }[]): {
  workers: number[];
  rows: { name: string; indent: number; key: keyof Pop; cells: PopCell[] }[];
} {
  const columns = points.filter((p) => p.pop).sort((a, b) => a.workers - b.workers);
  return {
    workers: columns.map((p) => p.workers),
    rows: POP_ROWS.map((row) => ({
      name: row.name,
      indent: row.indent,
      key: row.key,
      cells: columns.map((p) => {
        const value = p.pop![row.key];
        if (typeof value !== 'number' || !Number.isFinite(value)) return { text: '–', low: false };
        return { text: value.toFixed(2), low: row.efficiency && value < POP_LOW };
      }),
    })),
  };
}
