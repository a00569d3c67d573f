// The profile engine shared by the CLI and the language server: checks interpreters, measures every target on
// every runtime one after another (never overlapping, they would disturb each other), and builds the report.
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { backendRuns, defaultBackends, SERIAL } from '../../protocol/backends';
import { LANGUAGES } from '../../protocol/languages';
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
import { checkPython } from './interpreter';
import { measureTarget } from './measureTarget';
import { nodeEnvironment } from '../../protocol/nodeEnvironment';
import { packageRoot, packageVersion } from './packageRoot';
import { projectRoot, pythonPathEntries } from './projectPaths';

interface Job {
  target: Target;
  file: string;
  /** The recording whose calls are the inputs (TargetSpec.recording). */
  recording?: string;
  harness: HarnessSpec;
  backends: BackendName[];
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
  const jobs = await planJobs(options, session, errors, log);
  const warnings: Message[] = [];
  for (const job of jobs) job.harness.onEscaped = (escaped) => warnings.push(escapedWarning(job, escaped));

  for (const [index, job] of jobs.entries()) {
    const name = `${job.target.function} (${path.basename(job.target.file)})`;
    if (signal.aborted) {
      errors.push({
        code: 'cancelled',
        message: `The profile was cancelled before ${name} was measured.`,
        scope: name,
      });
      continue;
    }
    events.progress?.({ phase: 'loading', fraction: index / jobs.length, message: `loading ${name}` });
    const { measurements, errors: jobErrors } = await measureTarget(
      {
        target: job.target,
        file: job.file,
        harness: job.harness,
        backends: job.backends,
        startMethods: options.startMethods,
        workers: options.workers,
        inputs: options.inputs,
        starmap: options.starmap,
        ...(job.recording ? { recording: job.recording } : {}),
        repeat: options.repeat,
        budgetMs: options.budgetSeconds * 1000,
        precision: (options.precision ?? DEFAULT_PRECISION_PERCENT) / 100,
        timeoutMs: options.timeoutSeconds * 1000,
      },
      {
        log,
        progress: (done, planned, message) =>
          events.progress?.({
            phase: 'measuring',
            fraction: (index + Math.min(1, done / Math.max(1, planned))) / jobs.length,
            message,
          }),
        measured: (snapshot, configId) => {
          if (!events.partial) return;
          const partial = buildReport([snapshot], { errors: [], environment: null });
          const config = snapshot.configs.find((c) => c.config.id === configId)?.config;
          const run = partial.runs.find(
            (r) => r.backend === config?.backend && (r.startMethod ?? null) === (config?.startMethod ?? null),
          );
          const point = run?.points.find((p) => p.workers === config?.workers);
          if (run && point) events.partial(run, point);
        },
      },
      signal,
    );
    errors.push(...jobErrors);
    if (measurements) measured.push(measurements);
  }

  events.progress?.({ phase: 'analyzing', fraction: 1, message: 'analysing' });
  const report = buildReport(measured, {
    errors,
    warnings,
    environment: measured.length === 0 ? nodeEnvironment() : null,
    createdAt: new Date().toISOString(),
    tool: { name: 'amdahl', version: packageVersion() },
    partial: signal.aborted,
  });
  events.progress?.({ phase: 'done', fraction: 1, message: 'done' });
  return { report, exitCode: report.errors.length > 0 ? 1 : 0 };
}

/** One job per target and runtime; interpreters that are missing or too old become errors here. */
async function planJobs(
  options: ProfileOptions,
  session: string,
  errors: Message[],
  log: (line: string) => void,
): Promise<Job[]> {
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
    for (const python of pythons) {
      let check = checks.get(python);
      if (!check) {
        check = await checkPython(python);
        checks.set(python, check);
        if (!check.ok) errors.push(check.error);
      }
      if (!check.ok) continue;
      jobs.push({
        target,
        file: spec.file,
        ...(spec.recording ? { recording: spec.recording } : {}),
        backends,
        harness: {
          name: path.basename(python),
          command: python,
          args: [
            '-X',
            'faulthandler',
            path.join(packageRoot(), 'runner', 'harness', 'python', 'amdahl_harness.py'),
          ],
          cwd: projectRoot(spec.file) ?? options.cwd,
          env: { ...env, AMDAHL_PYTHONPATH: pythonPathFor(spec, options, log) },
        },
      });
    }
  }
  return jobs;
}

/** The harness's AMDAHL_PYTHONPATH: the target's extra import-path entries (runner/harness/python placement.py). */
function pythonPathFor(spec: TargetSpec, options: ProfileOptions, log: (line: string) => void): string {
  const { entries, problems } = pythonPathEntries(spec.file, {
    given: options.pythonPathEntries ?? [],
    envFile: options.envFile ?? null,
    cwd: options.cwd,
    env: process.env,
  });
  for (const problem of problems) log(`[amdahl] ${problem}`);
  return entries.join(path.delimiter);
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
