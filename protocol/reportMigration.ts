// Reads stored reports of older schema versions as the current one, so history, `amdahl compare` and
// `--compare` keep opening them. Version 1 kept every task as an object (the median pass's in `tasks`, and all
// counted passes' in `passes` when small); version 2 keeps them column-wise (taskTable.ts) with a summary per pass.
import { z } from 'zod';
import { columnsOf, encodeColumns, summarizeColumns, taskCount, type TaskTable } from './taskTable';

/** The schema versions parseReport accepts: older ones are migrated first. */
export const READABLE_VERSIONS: readonly number[] = [1, 2];

const TaskRecordV1 = z.object({
  worker: z.string(),
  input: z.number().int(),
  start: z.number(),
  end: z.number(),
  cpu: z.number().optional(),
});
const TasksV1 = z.array(TaskRecordV1);
const PassV1 = z.object({ sample: z.number().int(), wallSeconds: z.number(), tasks: TasksV1 });

type Loose = Record<string, unknown>;

/** The report as the current schema reads it; anything that is not a version 1 report is returned as it is. */
export function migrateReport(data: unknown): unknown {
  if (!isRecord(data) || data.schemaVersion !== 1 || !Array.isArray(data.runs)) return data;
  let full = 0;
  let fullTasks = 0;
  const runs = data.runs.map((run: unknown) => {
    if (!isRecord(run) || !Array.isArray(run.points)) return run;
    return {
      ...run,
      points: run.points.map((point: unknown) => {
        if (!isRecord(point)) return point;
        const migrated = migratePoint(point);
        for (const pass of [
          ...(migrated.passes as Loose[]),
          ...((migrated.timelinePasses as Loose[]) ?? []),
        ]) {
          if (pass.tasks) {
            full += 1;
            fullTasks += taskCount(pass.tasks as TaskTable);
          }
        }
        return migrated;
      }),
    };
  });
  return {
    ...data,
    schemaVersion: 2,
    runs,
    taskRetention: {
      fullPasses: full,
      fullTasks,
      summarizedPasses: 0,
      summarizedTasks: 0,
      note: 'Read from a schemaVersion 1 report: each point keeps the tasks of its median pass, and of every pass that report kept.',
    },
  };
}

function migratePoint(point: Loose): Loose {
  const tasks = TasksV1.safeParse(point.tasks);
  const passes = z.array(PassV1).safeParse(point.passes);
  const timeline = z.array(PassV1).safeParse(point.timelinePasses);
  const samples = isRecord(point.wallSeconds) ? point.wallSeconds.samples : undefined;
  const counted = passes.success
    ? passes.data.map(keptPass)
    : Array.isArray(samples)
      ? samples.map((wallSeconds: unknown, sample) => ({ sample, wallSeconds, summary: null }))
      : point.passes;
  return {
    ...point,
    tasks: tasks.success ? encodeColumns(columnsOf(tasks.data)) : point.tasks,
    passes: counted,
    ...(timeline.success ? { timelinePasses: timeline.data.map(keptPass) } : {}),
  };
}

function keptPass(pass: z.infer<typeof PassV1>): Loose {
  const columns = columnsOf(pass.tasks);
  const tasks = encodeColumns(columns);
  const summary = summarizeColumns(columns);
  return { sample: pass.sample, wallSeconds: pass.wallSeconds, summary, kept: 'all', tasks };
}

function isRecord(value: unknown): value is Loose {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
