// The profile engine shared by the CLI and the language server: checks interpreters, measures every target on
// every runtime one after another (never overlapping, they would disturb each other), and builds the report.
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { backendRuns, defaultBackends, SERIAL } from '../../protocol/backends';
import { isNotebookFile, LANGUAGES } from '../../protocol/languages';
import {
  DEFAULT_PRECISION_PERCENT,
  type ProfileEvents,
  type ProfileOptions,
  type ProfileOutcome,
  type TargetSpec,
} from '../../protocol/profile';
import type { BackendName, Message, Target } from '../../protocol/report';
import { buildReport } from '../analysis/buildReport';
import type { TargetMeasurements } from '../analysis/measurements';
import type { HarnessSpec } from './harnessProcess';
import type { SweptProcess } from './processSweep';
import { availableMemoryBytes } from './memoryLimits';
import { checkPython } from './interpreter';
import { measureTarget } from './measureTarget';
import { nodeEnvironment } from '../../protocol/nodeEnvironment';
import { packageRoot, packageVersion } from './packageRoot';
import { projectRoot, pythonPathEntries } from './projectPaths';
import { sizeVariants, type SizeVariant } from './sizes';
import { prepareNotebook, type NotebookTarget } from '../notebook/notebookTarget';

interface Job {
  target: Target;
  file: string;
  /** The recording whose calls are the inputs (TargetSpec.recording). */
  recording?: string;
  harness: HarnessSpec;
  backends: BackendName[];
  /** A notebook's target: the module built from it, which the harness imports instead of the notebook. */
  notebook?: NotebookTarget;
}

export async function profile(
  options: ProfileOptions,
  events: ProfileEvents,
  signal: AbortSignal,
): Promise<ProfileOutcome> {
  const errors: Message[] = [];
  const measured: TargetMeasurements[] = [];
  const log = events.log ?? (() => undefined);
  const session = randomUUID();
  const availableMemory = availableMemoryBytes();
  const warnings: Message[] = [];
  const jobs = await planJobs(options, session, { errors, warnings }, log);
  for (const job of jobs) job.harness.onEscaped = (escaped) => warnings.push(escapedWarning(job, escaped));
  try {
    await measureJobs(jobs, options, events, signal, { errors, measured });
  } finally {
    const notebooks = new Set(jobs.flatMap((job) => (job.notebook ? [job.notebook] : [])));
    await Promise.all([...notebooks].map((notebook) => notebook.dispose()));
  }

  events.progress?.({ phase: 'analyzing', fraction: 1, message: 'analysing' });
  const analysisStart = performance.now();
  const report = buildReport(measured, {
    errors,
    warnings,
    environment: measured.length === 0 ? nodeEnvironment() : null,
    createdAt: new Date().toISOString(),
    tool: { name: 'amdahl', version: packageVersion() },
    partial: signal.aborted,
    weak: options.weak === true,
    availableMemoryBytes: availableMemory,
  });
  log(`[amdahl] analysis took ${((performance.now() - analysisStart) / 1000).toFixed(3)} s`);
  events.progress?.({ phase: 'done', fraction: 1, message: 'done' });
  return { report, exitCode: report.errors.length > 0 ? 1 : 0 };
}

/** Measures the jobs, each at every size, one after another; errors and measurements go `into` the lists given. */
async function measureJobs(
  jobs: Job[],
  options: ProfileOptions,
  events: ProfileEvents,
  signal: AbortSignal,
  into: { errors: Message[]; measured: TargetMeasurements[] },
): Promise<void> {
  const steps = jobs.flatMap((job) =>
    sizeVariants(options, job.target.language).map((variant) => ({ job, variant })),
  );
  for (const [index, { job, variant }] of steps.entries()) {
    const sized = variant.inputSize === null ? '' : ` at n = ${variant.inputSize}`;
    const name = `${job.target.function} (${path.basename(job.target.file)})${sized}`;
    if (signal.aborted) {
      into.errors.push({
        code: 'cancelled',
        message: `The profile was cancelled before ${name} was measured.`,
        scope: name,
      });
      continue;
    }
    events.progress?.({ phase: 'loading', fraction: index / steps.length, message: `loading ${name}` });
    const step = { index, count: steps.length, variant };
    const { measurements, errors: jobErrors } = await measureStep(job, step, options, events, signal);
    const notebook = job.notebook;
    if (notebook) {
      // The failures name the module built from the notebook: say them in the notebook's cells and lines.
      for (const c of measurements?.configs ?? []) if (c.failed) c.failed = notebook.message(c.failed);
      // The module's folder is gone once the profile ends: the report lists only the import path the user has.
      const loaded = measurements?.loaded;
      if (loaded?.pathEntries) {
        loaded.pathEntries = loaded.pathEntries.filter((entry) => entry !== path.dirname(notebook.generated));
      }
    }
    const named = notebook ? jobErrors.map((error) => notebook.message(error)) : jobErrors;
    // A size whose inputs fail is that size's error; the other sizes are kept.
    into.errors.push(
      ...named.map((e) => (sized ? { ...e, message: `n = ${variant.inputSize}: ${e.message}` } : e)),
    );
    if (measurements) into.measured.push({ ...measurements, inputSize: variant.inputSize });
  }
}

/** Measures one job at one size (or at its only size), reporting progress as a share of every step. */
function measureStep(
  job: Job,
  step: { index: number; count: number; variant: SizeVariant },
  options: ProfileOptions,
  events: ProfileEvents,
  signal: AbortSignal,
): ReturnType<typeof measureTarget> {
  const log = events.log ?? (() => undefined);
  return measureTarget(
    {
      target: job.target,
      file: job.file,
      harness: job.harness,
      backends: job.backends,
      startMethods: options.startMethods,
      engineOptions: options.engineOptions,
      workers: step.variant.workers,
      chunksize: options.chunksize ?? null,
      ...(options.order ? { order: options.order } : {}),
      inputs: step.variant.inputs,
      starmap: options.starmap,
      ...(job.recording ? { recording: job.recording } : {}),
      repeat: options.repeat,
      budgetMs: options.budgetSeconds * 1000,
      precision: (options.precision ?? DEFAULT_PRECISION_PERCENT) / 100,
      timeoutMs: options.timeoutSeconds * 1000,
    },
    {
      log,
      progress: (done, planned, message, provisional) =>
        events.progress?.({
          phase: 'measuring',
          fraction: (step.index + Math.min(1, done / Math.max(1, planned))) / step.count,
          message,
          ...(provisional ? { provisional } : {}),
        }),
      measured: (snapshot, configId) => {
        if (!events.partial) return;
        const sized = { ...snapshot, inputSize: step.variant.inputSize };
        const partial = buildReport([sized], { errors: [], environment: null });
        const config = snapshot.configs.find((c) => c.config.id === configId)?.config;
        const run = partial.runs.find(
          (r) =>
            r.backend === config?.backend &&
            (r.startMethod ?? null) === (config?.startMethod ?? null) &&
            r.chunksize === config?.chunksize &&
            r.taskOrder === config?.taskOrder,
        );
        const point = run?.points.find((p) => p.workers === config?.workers);
        if (run && point) events.partial(run, point);
      },
    },
    signal,
  );
}

/** One job per target and runtime; interpreters that are missing or too old become errors here. */
async function planJobs(
  options: ProfileOptions,
  session: string,
  into: { errors: Message[]; warnings: Message[] },
  log: (line: string) => void,
): Promise<Job[]> {
  const { errors } = into;
  const jobs: Job[] = [];
  const pythons = options.pythons.length > 0 ? options.pythons : ['python3'];
  const checks = new Map<string, Awaited<ReturnType<typeof checkPython>>>();
  const env = { ...process.env, AMDAHL_SESSION: session, PYTHONDONTWRITEBYTECODE: '1' };
  for (const spec of options.targets) {
    const target = toTarget(spec, options.cwd);
    const kind = LANGUAGES[spec.language].runtime;
    // Serial is always measured as the baseline, so it is never one of the backends asked for.
    const backends = (options.backends ?? defaultBackends(spec.language)).filter(
      (backend) => backend !== SERIAL && backendRuns(backend, spec.language),
    );
    if (kind === 'node') {
      jobs.push({
        target,
        file: spec.file,
        backends,
        harness: {
          name: 'Node.js',
          command: process.execPath,
          args: [path.join(packageRoot(), 'dist', 'js-harness.js')],
          cwd: projectRoot(spec.file) ?? options.cwd,
          env: { ...env, ELECTRON_RUN_AS_NODE: '1' },
        },
      });
      continue;
    }
    let notebook: NotebookTarget | null | false | undefined;
    for (const python of pythons) {
      let check = checks.get(python);
      if (!check) {
        check = await checkPython(python);
        checks.set(python, check);
        if (!check.ok) errors.push(check.error);
      }
      if (!check.ok) continue;
      if (notebook === undefined)
        notebook = isNotebookFile(spec.file) ? await notebookJob(spec, target, into) : null;
      if (notebook === false) break;
      jobs.push({
        target,
        file: notebook?.generated ?? spec.file,
        ...(spec.recording ? { recording: spec.recording } : {}),
        backends,
        ...(notebook ? { notebook } : {}),
        harness: {
          name: path.basename(python),
          command: python,
          args: [
            '-X',
            'faulthandler',
            path.join(packageRoot(), 'runner', 'harness', 'python', 'amdahl_harness.py'),
          ],
          // A notebook runs where a Jupyter kernel would: in its own folder, which is first on sys.path.
          cwd: notebook?.folder ?? projectRoot(spec.file) ?? options.cwd,
          env: { ...env, AMDAHL_PYTHONPATH: pythonPathFor(spec, options, log, notebook?.folder) },
        },
      });
    }
  }
  return jobs;
}

/** The harness's AMDAHL_PYTHONPATH: the target's extra import-path entries (runner/harness/python placement.py). */
function pythonPathFor(
  spec: TargetSpec,
  options: ProfileOptions,
  log: (line: string) => void,
  first?: string,
): string {
  const { entries, problems } = pythonPathEntries(spec.file, {
    given: options.pythonPathEntries ?? [],
    envFile: options.envFile ?? null,
    cwd: options.cwd,
    env: process.env,
  });
  for (const problem of problems) log(`[amdahl] ${problem}`);
  return [...(first ? [first] : []), ...entries.filter((entry) => entry !== first)].join(path.delimiter);
}

/**
 * A notebook's module, built and written; the target then names the function's cell, and the lines left out are
 * a warning. False when the notebook cannot be profiled (the error is recorded).
 */
async function notebookJob(
  spec: TargetSpec,
  target: Target,
  into: { errors: Message[]; warnings: Message[] },
): Promise<NotebookTarget | false> {
  const scope = `${spec.function} (${target.file})`;
  const prepared = await prepareNotebook(spec.file, spec.function);
  if (!prepared.ok) {
    into.errors.push({ ...prepared.error, scope });
    return false;
  }
  const { module } = prepared.value;
  target.cell = module.cell;
  if (module.dropped.length > 0) {
    target.droppedLines = module.dropped;
    const listed = module.dropped.map((d) => `cell ${d.cell}, line ${d.line}: ${d.text.trim()}`);
    into.warnings.push({
      code: 'ipython-lines-dropped',
      message: `${scope}: ${module.dropped.length} IPython-only line(s) were left out of the module the notebook was profiled as (${listed.join('; ')}).`,
      scope,
      suggestion: 'Plain Python runs the cells; what a magic or a shell command set up is not there.',
    });
  }
  return prepared.value;
}

/** What a run says of processes the target started that outlived its harness. */
function escapedWarning(job: Job, escaped: { processes: SweptProcess[]; ended: boolean }): Message {
  const scope = `${job.target.function} (${job.target.file})`;
  if (!escaped.ended) {
    return {
      code: 'escaped-processes',
      message: `${scope}: processes the function started were still running after the ${job.harness.name} harness exited, and may still be running: only on Linux can Amdahl find and end processes that left its process group.`,
      scope,
      suggestion: 'Wait for the processes the function starts (or end them) before it returns.',
    };
  }
  const counts = new Map<string, number>();
  for (const p of escaped.processes) counts.set(p.command || '?', (counts.get(p.command || '?') ?? 0) + 1);
  const names = [...counts].slice(0, 5).map(([command, n]) => (n > 1 ? `${command} (${n} times)` : command));
  const more = counts.size > 5 ? ` and ${counts.size - 5} other commands` : '';
  return {
    code: 'escaped-processes',
    message: `${scope}: the function started ${escaped.processes.length} process(es) that outlived the ${job.harness.name} harness: ${names.join(', ')}${more}; they were ended.`,
    scope,
    suggestion: 'Wait for the processes the function starts (or end them) before it returns.',
  };
}

function toTarget(spec: TargetSpec, cwd: string): Target {
  // Reports name files relative to the folder the profile ran in, so they read the same on every machine.
  const relative = path.relative(cwd, spec.file);
  const file = relative.startsWith('..') || path.isAbsolute(relative) ? spec.file : relative;
  return { file: file.split(path.sep).join('/'), function: spec.function, language: spec.language };
}
