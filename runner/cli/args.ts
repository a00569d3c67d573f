// Parses and validates the command line of docs/contract.md into profile options; usage errors name the option.
import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import {
  BackendName,
  backendRuns,
  defaultBackends,
  isStartMethod,
  OFFERED_BACKENDS,
  offeredBackends,
  START_METHODS,
  SERIAL,
  UNSUPPORTED_BACKENDS,
} from '../../protocol/backends';
import { parseChunksize, takesChunksize, type ChunksizeChoice } from '../../protocol/chunksize';
import { Language, LANGUAGES, languageOfFile } from '../../protocol/languages';
import { parseTaskOrder } from '../../protocol/taskOrder';
import type { ProfileOptions, TargetSpec } from '../../protocol/profile';
import { parseSizes, usesSizeName } from '../../protocol/sizes';
import { parseAssertion, type Assertion } from '../analysis/assertions';
import { defaultWorkers } from '../profile/configPlan';
import { DEFAULT_MAX_CALLS, RECORDED } from '../../protocol/recording';
import { resolveRecordings } from './recordedInputs';

export class UsageError extends Error {}

export interface CliRequest {
  command: 'profile';
  options: ProfileOptions;
  json: string | null;
  html: string | null;
  markdown: string | null;
  compare: string | null;
  assertions: Assertion[];
  progress: boolean;
  /** --pop: the POP table in the printed summary. */
  pop: boolean;
  /** --memory: memory columns in the printed table (the report always has them). */
  memory: boolean;
}

/** `amdahl compare <base> <new>`: the two reports and where the comparison goes. */
export interface CompareRequest {
  command: 'compare';
  base: string;
  new: string;
  json: string | null;
  html: string | null;
  markdown: string | null;
  failOnRegressionPercent: number | null;
}

/** `amdahl report <report.json>`: a stored report rendered again. */
export interface ReportRequest {
  command: 'report';
  file: string;
  html: string | null;
  markdown: string | null;
}

export type Request = CliRequest | CompareRequest | ReportRequest;

export const USAGE = `Usage: amdahl profile <file>:<function> [<file>:<function> ...] [options]
       amdahl compare <base.json> <new.json> [--fail-on-regression <percent>] [--json <file>] [--html <file>]
                      [--markdown <file>]
       amdahl report <report.json> [--html <file>] [--markdown <file>]
       amdahl record <file>:<function> [--max-calls <n>] [--max-bytes <size>] -- <command...>

Measures a function serially and across worker pools of 1..N workers, and reports the speedup, its 95% CI,
efficiency, the fitted serial fraction, the overhead split and a recommended worker count.

Options:
  --inputs <expr>         the input list, an expression evaluated in the target's module
                          (default: ${LANGUAGES.python.defaultInputs} in Python, ${LANGUAGES.javascript.defaultInputs} in JS/TS);
                          ${RECORDED}: the calls \`amdahl record\` recorded; @<file.pkl>: a recording by name
  --sizes <list>          input sizes, e.g. 100,1000,10000: each is bound to n in --inputs and profiled as
                          runs of its own; reports efficiency against size and the isoefficiency point
  --weak                  with --sizes: weak scaling, k workers at n = k x the smallest size
  --starmap               call fn(*item) for tuple inputs, as Pool.starmap (default: one argument)
  --workers <list>        worker counts, e.g. 1,2,4 (default: 1, 2, 4, ... up to the usable cores)
  --backends <list>       ${offeredBackends('python').join(', ')} (Python);
                          ${offeredBackends('javascript').join(', ')} (JS/TS); serial is always measured
                          (default: ${defaultBackends('python').join(',')} / ${defaultBackends('javascript').join(',')})
  --start-method <list>   ${START_METHODS.join(', ')}; several are compared in one report
  --chunksize <auto|list> inputs sent to a worker at a time, on ${chunkingBackends().join(', ')}
                          (joblib: batch_size): auto measures a small geometric sweep per worker count
                          beside the default and recommends a (workers, chunksize) pair; a list, e.g.
                          1,16,256, measures exactly those
  --order <given|longest-first>  longest-first also measures each pool with the inputs sorted longest first by
                          the serial loop's task times (process, thread, futures-process, joblib), beside the
                          given order; the load-imbalance warning then shows the measured gain
  --python <path>         the interpreter (default: python3); give it again to compare interpreters
  --python-path <dir>     a folder for Python's import path; repeatable (after PYTHONPATH, before .env's)
  --env-file <file>       the .env file whose PYTHONPATH is used (default: .env at the project root)
  --repeat <n>            counted samples per configuration (default: adaptive, docs/method.md)
  --precision <percent>   stop once the recommended count is settled and its speedup known within this
                          (default: 5)
  --budget <seconds>      time budget for adaptive repetition (default: 60)
  --timeout <seconds>     limit for any single pass; on expiry every child process is killed (default: 300)
  --dask-scheduler <addr> use a running Dask scheduler instead of a local cluster
  --ipyparallel-profile <name>   use a running ipcluster profile
  --ipyparallel-connection <file> use a running ipcluster's connection file
  --pop                   print the POP efficiency table (rows: metrics, columns: k) under each run
  --json <file>           write the report (- for standard output)
  --html <file>           write a standalone, offline report page (- for standard output)
  --compare <file>        with --html or --markdown: overlay an earlier report (before/after) and add verdicts
  --markdown <file>       write a GitHub-flavoured summary (- for standard output)
  --assert <expr>         repeatable: <backend>:<speedup|efficiency><op><value>@<k> or <backend>:recommended<op><k>,
                          op >=, <=, > or <; holds only at the conservative end of the 95% interval
                          (e.g. process:speedup>=1.8@2, thread:efficiency>=0.7@4, process:recommended>=4)

Compare (amdahl compare): runs are matched by target, backend, interpreter and worker count; each point gets the
ratio of the new time to the old with a 95% bootstrap interval and a verdict (faster, slower, no change).
  --fail-on-regression <percent>  exit 3 when a point is slower by more than this at 95% confidence
  --json, --html, --markdown      the comparison, the before/after page, the summary

Report (amdahl report): validates a stored report and writes its --html page and --markdown summary.
  --memory                memory columns in the table: the workers' peak RSS and unique memory, the parent's
                          peak (the report always has them)
  --allow-oversubscription  allow --workers above 4x the usable cores
  --no-progress           no progress bar
  -h, --help              this text
  -v, --version           the version

Record: runs the command with the function wrapped and saves the arguments of its first calls to
.amdahl/inputs/<module>.<function>.pkl (your data: it stays on this machine; a pickle runs code when loaded).
  --max-calls <n>         record the first n calls (default: ${DEFAULT_MAX_CALLS})
  --max-bytes <size>      stop recording before the pickled calls exceed this, e.g. 50MB (default: 200MB)

Exit status: 0 profiled, compared, rendered or recorded; 1 a target failed, or the recorded command failed or
never called the function; 2 bad usage, a bad report or an output that could not be written; 3 profiled, but an
--assert failed (compare: --fail-on-regression found a regression).`;

const OPTIONS = {
  inputs: { type: 'string' },
  starmap: { type: 'boolean', default: false },
  sizes: { type: 'string' },
  weak: { type: 'boolean', default: false },
  workers: { type: 'string' },
  backends: { type: 'string' },
  'start-method': { type: 'string' },
  chunksize: { type: 'string' },
  order: { type: 'string' },
  python: { type: 'string', multiple: true },
  'python-path': { type: 'string', multiple: true },
  'env-file': { type: 'string' },
  repeat: { type: 'string' },
  budget: { type: 'string' },
  precision: { type: 'string' },
  timeout: { type: 'string' },
  'dask-scheduler': { type: 'string' },
  'ipyparallel-profile': { type: 'string' },
  'ipyparallel-connection': { type: 'string' },
  json: { type: 'string' },
  html: { type: 'string' },
  compare: { type: 'string' },
  markdown: { type: 'string' },
  assert: { type: 'string', multiple: true },
  'fail-on-regression': { type: 'string' },
  pop: { type: 'boolean', default: false },
  'no-progress': { type: 'boolean', default: false },
  memory: { type: 'boolean', default: false },
  'allow-oversubscription': { type: 'boolean', default: false },
  help: { type: 'boolean', short: 'h', default: false },
  version: { type: 'boolean', short: 'v', default: false },
} as const;

/** The options each command takes (null: all but --fail-on-regression); any other is bad usage. */
const COMMAND_OPTIONS: Record<Request['command'], ReadonlySet<string> | null> = {
  profile: null,
  compare: new Set(['json', 'html', 'markdown', 'fail-on-regression']),
  report: new Set(['html', 'markdown']),
};

type Values = ReturnType<
  typeof parseArgs<{ args: string[]; allowPositionals: true; options: typeof OPTIONS }>
>['values'];

export function parseCommandLine(argv: string[], cwd: string): Request | 'help' | 'version' {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: OPTIONS,
    });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const { values, positionals } = parsed;
  if (values.help) return 'help';
  if (values.version) return 'version';
  const [command, ...rest] = positionals;
  if (command !== 'profile' && command !== 'compare' && command !== 'report') {
    throw new UsageError(
      command === undefined
        ? 'no command given: use "amdahl profile <file>:<function>"'
        : `unknown command "${command}": the commands are profile, compare, report and record`,
    );
  }
  const allowed = COMMAND_OPTIONS[command];
  const foreign = Object.entries(values)
    .filter(([, value]) => value !== undefined && value !== false)
    .map(([name]) => name)
    .find((name) => (allowed ? !allowed.has(name) : name === 'fail-on-regression'));
  if (foreign !== undefined) throw new UsageError(`--${foreign} is not an option of "amdahl ${command}"`);
  if (values.json === '-' && values.html === '-') {
    throw new UsageError('--json and --html cannot both be - (standard output): give one of them a file');
  }
  if ([values.json, values.html, values.markdown].filter((v) => v === '-').length > 1) {
    throw new UsageError('only one output can be - (standard output): give the others a file');
  }
  if (command === 'compare') return compareRequest(rest, values, cwd);
  if (command === 'report') return reportRequest(rest, values, cwd);
  return profileRequest(rest, values, cwd);
}

function compareRequest(files: string[], values: Values, cwd: string): CompareRequest {
  if (files.length !== 2) {
    throw new UsageError(`compare takes two reports, <base.json> <new.json> (got ${files.length})`);
  }
  const threshold = values['fail-on-regression'];
  let failOnRegressionPercent: number | null = null;
  if (threshold !== undefined) {
    failOnRegressionPercent = Number(threshold);
    if (threshold.trim() === '' || !Number.isFinite(failOnRegressionPercent) || failOnRegressionPercent < 0) {
      throw new UsageError(`--fail-on-regression is a percentage of 0 or more (got "${threshold}")`);
    }
  }
  return {
    command: 'compare',
    base: path.resolve(cwd, files[0]!),
    new: path.resolve(cwd, files[1]!),
    json: outputPath(values.json, cwd),
    html: outputPath(values.html, cwd),
    markdown: outputPath(values.markdown, cwd),
    failOnRegressionPercent,
  };
}

function reportRequest(files: string[], values: Values, cwd: string): ReportRequest {
  if (files.length !== 1)
    throw new UsageError(`report takes one report, <report.json> (got ${files.length})`);
  return {
    command: 'report',
    file: path.resolve(cwd, files[0]!),
    html: outputPath(values.html, cwd),
    markdown: outputPath(values.markdown, cwd),
  };
}

function profileRequest(targetArgs: string[], values: Values, cwd: string): CliRequest {
  if (targetArgs.length === 0) throw new UsageError('no target given: name one as <file>:<function>');
  const targets = targetArgs.map((arg) => parseTarget(arg, cwd));
  const recorded = resolveRecordings(values.inputs, values.starmap ?? false, targets, cwd);

  const backends = values.backends === undefined ? null : parseBackends(values.backends, targets);
  const startMethods =
    values['start-method'] === undefined ? null : parseStartMethods(values['start-method']);
  if (values.compare !== undefined && values.html === undefined && values.markdown === undefined) {
    throw new UsageError(
      '--compare overlays an earlier report on the --html page and adds verdicts to it and to the --markdown summary: give --html or --markdown too',
    );
  }
  const chunksize =
    values.chunksize === undefined ? null : parseChunksizeOption(values.chunksize, targets, backends);
  const workers =
    values.workers === undefined
      ? null
      : parseWorkers(values.workers, values['allow-oversubscription'] ?? false);

  return {
    command: 'profile',
    options: {
      targets: recorded?.targets ?? targets,
      inputs: recorded ? null : (values.inputs ?? null),
      ...sizeOptions(values.sizes, values.weak ?? false, values.inputs),
      starmap: values.starmap ?? false,
      workers,
      backends,
      startMethods,
      ...(chunksize !== null ? { chunksize } : {}),
      ...orderOption(values.order),
      pythons: values.python ?? recorded?.pythons ?? [],
      repeat: values.repeat === undefined ? null : positiveInteger('--repeat', values.repeat),
      budgetSeconds: values.budget === undefined ? 60 : positiveNumber('--budget', values.budget),
      ...(values.precision === undefined ? {} : { precision: precisionPercent(values.precision) }),
      timeoutSeconds: values.timeout === undefined ? 300 : positiveNumber('--timeout', values.timeout),
      engineOptions: engineOptionsOf(values, cwd),
      cwd,
      ...importPath(values['python-path'], values['env-file'], cwd),
    },
    json: outputPath(values.json, cwd),
    html: outputPath(values.html, cwd),
    markdown: outputPath(values.markdown, cwd),
    compare: values.compare === undefined ? null : path.resolve(cwd, values.compare),
    assertions: parseAssertions(values.assert ?? [], targets, backends, workers),
    progress: !(values['no-progress'] ?? false),
    pop: values.pop ?? false,
    memory: values.memory ?? false,
  };
}

/**
 * --assert: each expression well formed, and naming a backend and a worker count this profile will measure, so a
 * typo is found before minutes of measuring rather than as a failed gate after them.
 */
function parseAssertions(
  expressions: string[],
  targets: TargetSpec[],
  backends: BackendName[] | null,
  workers: number[] | null,
): Assertion[] {
  const measured = new Set<BackendName>([SERIAL]);
  for (const target of targets) {
    for (const backend of backends ?? defaultBackends(target.language)) {
      if (backendRuns(backend, target.language)) measured.add(backend);
    }
  }
  const counts = workers ?? defaultWorkers(os.availableParallelism());
  return expressions.map((expression) => {
    const parsed = parseAssertion(expression);
    if (!parsed.ok) throw new UsageError(`--assert ${parsed.error}`);
    const assertion = parsed.value;
    if (!measured.has(assertion.backend)) {
      throw new UsageError(
        `--assert "${expression}": the ${assertion.backend} backend is not measured (measured: ${[...measured].join(', ')}); add it to --backends`,
      );
    }
    const k = assertion.workers;
    if (k !== null && (assertion.backend === SERIAL ? k !== 1 : !counts.includes(k))) {
      throw new UsageError(
        `--assert "${expression}": ${k} workers are not measured (measured: ${assertion.backend === SERIAL ? '1' : counts.join(', ')}); add ${k} to --workers`,
      );
    }
    return assertion;
  });
}

/** --sizes and --weak: positive integer sizes, and an inputs expression that uses n. */
function sizeOptions(
  text: string | undefined,
  weak: boolean,
  inputs: string | undefined,
): Pick<ProfileOptions, 'sizes' | 'weak'> {
  if (text === undefined) {
    if (weak) throw new UsageError('--weak scales the input size with the workers: give --sizes too');
    return {};
  }
  const parsed = parseSizes(text);
  if (!parsed.ok) throw new UsageError(`--${parsed.error}`);
  if (inputs === undefined || !usesSizeName(inputs)) {
    throw new UsageError(
      '--sizes binds each size to n in the --inputs expression, which does not use n: e.g. --inputs "range(n)"',
    );
  }
  return { sizes: parsed.sizes, weak };
}

function importPath(
  entries: string[] | undefined,
  envFile: string | undefined,
  cwd: string,
): Pick<ProfileOptions, 'pythonPathEntries' | 'envFile'> {
  const file = envFile === undefined ? null : path.resolve(cwd, envFile);
  if (file !== null && !existsSync(file)) throw new UsageError(`--env-file ${envFile}: no such file`);
  return { pythonPathEntries: (entries ?? []).map((entry) => path.resolve(cwd, entry)), envFile: file };
}

export function parseTarget(arg: string, cwd: string): TargetSpec {
  const colon = arg.lastIndexOf(':');
  if (colon <= 0 || colon === arg.length - 1) {
    throw new UsageError(
      `target "${arg}" must be <file>:<function>, e.g. samples/seed/complex_operation.py:complex_operation`,
    );
  }
  const file = path.resolve(cwd, arg.slice(0, colon));
  const fn = arg.slice(colon + 1);
  const language = languageOfFile(file);
  if (!language) {
    throw new UsageError(
      `target "${arg}": ${path.extname(file) || 'a file without an extension'} is not a ${orList(Language.options.map((language) => LANGUAGES[language].shownAs))} file`,
    );
  }
  if (!existsSync(file)) throw new UsageError(`target "${arg}": no such file ${file}`);
  return { file, function: fn, language };
}

/** --backends: known names only, and at least one that runs each target's language. */
function parseBackends(text: string, targets: TargetSpec[]): BackendName[] {
  const names = splitList(text).filter((name) => name !== 'serial');
  const backends = names.map((name) => {
    const unsupported = UNSUPPORTED_BACKENDS[name.toLowerCase()];
    if (unsupported) throw new UsageError(unsupported);
    const parsed = BackendName.safeParse(name);
    if (!parsed.success)
      throw new UsageError(`--backends: unknown backend "${name}" (known: ${OFFERED_BACKENDS.join(', ')})`);
    return parsed.data;
  });
  for (const target of targets) {
    if (!backends.some((backend) => backendRuns(backend, target.language))) {
      throw new UsageError(
        `--backends ${text} has no backend for ${path.basename(target.file)} (${target.language}): use ${orList(offeredBackends(target.language))}`,
      );
    }
  }
  return backends;
}

/** --chunksize: auto or positive integers, and at least one measured backend that takes a chunksize. */
function parseChunksizeOption(
  text: string,
  targets: TargetSpec[],
  backends: BackendName[] | null,
): ChunksizeChoice {
  const parsed = parseChunksize(text, '--chunksize');
  if (!parsed.ok) throw new UsageError(parsed.error);
  const measured = targets.flatMap((target) =>
    (backends ?? defaultBackends(target.language)).filter((b) => backendRuns(b, target.language)),
  );
  if (!measured.some(takesChunksize)) {
    throw new UsageError(
      `--chunksize applies to ${orList(chunkingBackends())}, and none of them is measured: add one to --backends`,
    );
  }
  return parsed.value;
}

/** --order: given (the default) or longest-first. */
function orderOption(text: string | undefined): Pick<ProfileOptions, 'order'> {
  if (text === undefined) return {};
  const parsed = parseTaskOrder(text, '--order');
  if (!parsed.ok) throw new UsageError(parsed.error);
  return { order: parsed.value };
}

function chunkingBackends(): BackendName[] {
  return OFFERED_BACKENDS.filter(takesChunksize);
}

function parseStartMethods(text: string): string[] {
  return splitList(text).map((method) => {
    if (!isStartMethod(method)) {
      throw new UsageError(`--start-method must be ${orList(START_METHODS)} (got "${method}")`);
    }
    return method;
  });
}

/** The options of the cluster engines that were given, for the harness. */
function engineOptionsOf(
  values: { 'dask-scheduler'?: string; 'ipyparallel-profile'?: string; 'ipyparallel-connection'?: string },
  cwd: string,
): Record<string, string> {
  const engineOptions: Record<string, string> = {};
  if (values['dask-scheduler']) engineOptions.daskScheduler = values['dask-scheduler'];
  if (values['ipyparallel-profile']) engineOptions.ipyparallelProfile = values['ipyparallel-profile'];
  if (values['ipyparallel-connection']) {
    engineOptions.ipyparallelConnection = path.resolve(cwd, values['ipyparallel-connection']);
  }
  return engineOptions;
}

/** Above this, a worker count is a typo, not a plan: each worker is a process or a thread. */
export const MAX_WORKERS = 1024;
/** Above this many workers per usable core, oversubscription must be asked for. */
const OVERSUBSCRIPTION_FACTOR = 4;

function parseWorkers(text: string, allowOversubscription: boolean): number[] {
  const counts = splitList(text).map((part) => Number(part));
  if (counts.length === 0 || counts.some((k) => !Number.isInteger(k) || k < 1)) {
    throw new UsageError(`--workers must be a list of positive integers, e.g. 1,2,4 (got "${text}")`);
  }
  const tooMany = counts.find((k) => k > MAX_WORKERS);
  if (tooMany !== undefined) {
    throw new UsageError(`--workers ${tooMany} is more than ${MAX_WORKERS} workers: give a smaller count`);
  }
  const cores = os.availableParallelism();
  const over = counts.find((k) => k > OVERSUBSCRIPTION_FACTOR * cores);
  if (over !== undefined && !allowOversubscription) {
    throw new UsageError(
      `--workers ${over} is more than ${OVERSUBSCRIPTION_FACTOR}x the ${cores} usable cores; add --allow-oversubscription to measure it anyway`,
    );
  }
  return [...new Set(counts)].sort((a, b) => a - b);
}

export function positiveInteger(option: string, text: string): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1)
    throw new UsageError(`${option} must be a positive integer (got "${text}")`);
  return value;
}

function positiveNumber(option: string, text: string): number {
  const value = Number(text);
  if (!Number.isFinite(value) || value <= 0)
    throw new UsageError(`${option} must be a positive number of seconds (got "${text}")`);
  return value;
}

/** An output file, resolved; `-` stays `-`, standard output. */
function outputPath(value: string | undefined, cwd: string): string | null {
  if (value === undefined) return null;
  return value === '-' ? value : path.resolve(cwd, value);
}

/** "a, b or c". */
function orList(items: readonly string[]): string {
  return items.length < 2 ? items.join('') : `${items.slice(0, -1).join(', ')} or ${items[items.length - 1]}`;
}

function splitList(text: string): string[] {
  return text
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part !== '');
}

/** --precision: a percentage above 0 and below 100. */
function precisionPercent(text: string): number {
  const value = positiveNumber('--precision', text);
  if (value >= 100) throw new UsageError(`--precision is a percentage below 100, not ${text}`);
  return value;
}
