// Measures one target on one runtime in three phases: bring up (start a harness, load the target, open every
// pool with its warm-up), rounds (shuffled, interleaved counted passes until repetition.ts says stop), close
// (close the pools, stop the harness). A harness that dies or times out is replaced and the surviving
// configurations go on; failures travel as values, and what was measured is kept.
import { SERIALIZING } from '../../protocol/backends';
import type {
  ErrorMessage,
  HelloMessage,
  LoadedMessage,
  PassTiming,
  PoolConfig,
} from '../../protocol/harness';
import type { Calibration, Message, Target } from '../../protocol/report';
import type { ConfigMeasurements, TargetMeasurements } from '../analysis/measurements';
import {
  SERIAL_ID,
  clampToInputs,
  describeConfig,
  limitedThreadConfigs,
  planConfigs,
  type ConfigChoices,
} from './configPlan';
import { hiddenParallelism } from '../analysis/hiddenParallelism';
import { durationsByInput, summaryOnly } from '../analysis/passTasks';
import { medianTaskSeconds } from '../analysis/instrumentation';
import { withChunksizes } from './chunksizePlan';
import { longestFirstOrder, withLongestFirst } from './orderPlan';
import { HarnessProcess, type HarnessLost, type HarnessSpec } from './harnessProcess';
import {
  POOL_ALLOWANCE_MS,
  answerError,
  cancelledError,
  lostError,
  targetLostError,
  unavailableError,
  type LostDuring,
} from './measureErrors';
import { minimumSamples } from './repetition';
import { SamplingPlan } from './samplingPlan';

export { defaultWorkers, describeConfig, planConfigs } from './configPlan';

export interface MeasurePlan extends ConfigChoices {
  target: Target;
  /** The target's absolute path (target.file is relative to the working folder, for the report). */
  file: string;
  harness: HarnessSpec;
  inputs: string | null;
  starmap: boolean;
  /** A recording whose calls are the inputs (TargetSpec.recording). */
  recording?: string;
  repeat: number | null;
  /** The headline speedup's asked precision, a fraction (0.05 for --precision 5). */
  precision: number;
  budgetMs: number;
  timeoutMs: number;
}

export interface MeasureHooks {
  log: (line: string) => void;
  /** Called after every counted pass, with everything measured so far. */
  measured: (measurements: TargetMeasurements, configId: string) => void;
  /** provisional: the answer so far (samplingPlan.ts), once there is one. */
  progress: (done: number, planned: number, message: string, provisional?: string) => void;
}

const MAX_RESTARTS = 3;

/** Why a phase cannot go on. */
type Halt =
  /** The target failed and its errors are recorded: the load, the serial baseline, or too many restarts. */
  | { kind: 'failed' }
  | { kind: 'cancelled' }
  /** The harness was lost while it ran one configuration, now failed: the others go on in a fresh harness. */
  | { kind: 'restart'; lost: HarnessLost }
  /** The harness was lost outside any one configuration: the target fails with it. */
  | { kind: 'lost'; lost: HarnessLost };

type Step<T = undefined> = { ok: true; value: T } | { ok: false; error: Halt };
const DONE: Step = { ok: true, value: undefined };
const halt = (error: Halt): { ok: false; error: Halt } => ({ ok: false, error });

/** Every configuration of the target, the serial baseline first. */
interface Configs {
  serial: ConfigMeasurements;
  all: ConfigMeasurements[];
}

/**
 * A harness with the target loaded and the serial baseline opened. The pools open when first sampled, so the
 * first rounds (serial and the first run's largest count, as samplingPlan.ts orders them) give a provisional
 * answer before any other pool has started and run its warm-up.
 */
interface Session {
  harness: HarnessProcess;
  configs: Configs;
  /** The configurations opened in this harness (a replaced harness opens them again). */
  opened: Set<ConfigMeasurements>;
}

export async function measureTarget(
  plan: MeasurePlan,
  hooks: MeasureHooks,
  signal: AbortSignal,
): Promise<{ measurements: TargetMeasurements | null; errors: Message[] }> {
  return new TargetMeasurement(plan, hooks, signal).run();
}

class TargetMeasurement {
  private readonly errors: Message[] = [];
  private readonly name: string;
  private readonly startedAt = Date.now();
  /** The stop reason partial snapshots carry while the rounds run. */
  private readonly runningReason: string;
  private configs: Configs | null = null;
  private harness: HarnessProcess | null = null;
  private hello: HelloMessage | null = null;
  private loaded: LoadedMessage | null = null;
  /** Worker counts above the input count, clamped to it once the target has loaded; null until then. */
  private clampedWorkers: number[] | null = null;
  private calibration: Calibration | null = null;
  private restarts = 0;
  private readonly sampling: SamplingPlan;
  private timingChosen = false;
  /** Whether the serial warm-up was read for hidden parallelism (once per target, not per harness). */
  private hiddenChecked = false;
  /** Chunksizes asked for above the input count (clamped to it); null until the chunksizes are planned. */
  private clampedChunksizes: number[] | null = null;

  constructor(
    private readonly plan: MeasurePlan,
    private readonly hooks: MeasureHooks,
    private readonly signal: AbortSignal,
  ) {
    this.name = `${plan.target.function} (${plan.target.file})`;
    this.runningReason = plan.repeat === null ? 'budget' : 'repeat';
    this.sampling = new SamplingPlan({ repeat: plan.repeat, precision: plan.precision });
  }

  async run(): Promise<{ measurements: TargetMeasurements | null; errors: Message[] }> {
    const onAbort = (): void => this.harness?.cancel();
    this.signal.addEventListener('abort', onAbort);
    let stopReason: string;
    try {
      stopReason = await this.phases();
    } finally {
      this.signal.removeEventListener('abort', onAbort);
      await this.stopHarness();
    }
    const partial = stopReason === 'cancelled' || stopReason === 'failed';
    return { measurements: this.snapshot(stopReason, partial), errors: this.errors };
  }

  /** Bring up, rounds, close: the stop reason, or how the target ended early. */
  private async phases(): Promise<string> {
    const up = await this.bringUp();
    if (!up.ok) return this.halted(up.error);
    const rounds = await this.rounds(up.value);
    if (!rounds.ok) return this.halted(rounds.error);
    const closed = await this.close(rounds.value.session);
    return closed.ok ? rounds.value.reason : this.halted(closed.error);
  }

  private halted(error: Halt): string {
    if (error.kind === 'cancelled') {
      this.errors.push(cancelledError(this.name));
      return 'cancelled';
    }
    if (error.kind === 'lost') this.errors.push(targetLostError(this.name, error.lost));
    return 'failed';
  }

  // ------------------------------------------------------------------------------------------ bring up

  /** Starts a harness and opens the serial baseline; replaces a harness lost meanwhile. */
  private async bringUp(): Promise<Step<Session>> {
    for (;;) {
      const started = await this.startHarness();
      if (!started.ok) return started;
      const opened = await this.openSerial(started.value);
      if (opened.ok || opened.error.kind !== 'restart') return opened;
      const restarted = this.restart(opened.error.lost);
      if (!restarted.ok) return restarted;
    }
  }

  /** Starts a harness, plans the configurations from its first hello, and loads the target. */
  private async startHarness(): Promise<Step<Session>> {
    const harness = new HarnessProcess(this.plan.harness, {
      helloTimeoutMs: POOL_ALLOWANCE_MS,
      log: this.hooks.log,
    });
    this.harness = harness;
    const hello = await harness.hello;
    if (!hello.ok) return this.lostOutside(hello.error);
    this.hello = hello.value;
    // The configurations depend on what the runtime reports: usable cores, start methods, engines present.
    const configs = this.configs ?? this.planFrom(hello.value);
    if (this.signal.aborted) harness.cancel();
    const { target, file, inputs, starmap } = this.plan;
    const reply = await harness.request(
      {
        op: 'load',
        file,
        function: target.function,
        inputs,
        starmap,
        ...(this.plan.recording ? { recording: this.plan.recording } : {}),
      },
      this.plan.timeoutMs + POOL_ALLOWANCE_MS,
    );
    if (!reply.ok) {
      if (reply.error.type === 'lost') return this.lostOutside(reply.error);
      this.errors.push(answerError(this.name, reply.error));
      return halt({ kind: 'failed' });
    }
    this.loaded = reply.value;
    if (this.clampedWorkers === null) {
      const { kept, clamped } = clampToInputs(configs.all, reply.value.inputCount);
      configs.all = kept;
      this.clampedWorkers = clamped;
    }
    return { ok: true, value: { harness, configs, opened: new Set() } };
  }

  private planFrom(hello: HelloMessage): Configs {
    const planned = planConfigs(this.plan, hello);
    const measure = (config: PoolConfig): ConfigMeasurements => ({
      config,
      opened: null,
      passes: [],
      closed: null,
    });
    const serial = measure(planned[0]);
    const configs: Configs = { serial, all: [serial, ...planned.slice(1).map(measure)] };
    for (const c of configs.all) {
      const { backend } = c.config;
      const missing = hello.missingBackends?.[backend];
      if (missing === undefined && (backend === 'serial' || hello.backends.includes(backend))) continue;
      const error = unavailableError(this.scopeOf(c), backend, hello.runtime, missing);
      c.failed = error;
      if (!this.errors.some((e) => e.message === error.message)) this.errors.push(error);
    }
    this.configs = configs;
    return configs;
  }

  private async openSerial(session: Session): Promise<Step<Session>> {
    const { serial } = session.configs;
    const opened = await this.openIn(session, serial);
    if (!opened.ok) return opened;
    if (this.calibration === null && !serial.failed) {
      const calibrated = await this.calibrate(session);
      if (!calibrated.ok) return calibrated;
    }
    if (!this.hiddenChecked && serial.opened) {
      this.addLimitedThreads(session.configs, serial);
      this.hiddenChecked = true;
    }
    if (this.clampedChunksizes === null && serial.opened) this.addVariants(session.configs, serial);
    if (!this.timingChosen && serial.opened) {
      // Once per target: the counted passes of every configuration carry the same instrumentation.
      this.sampling.chooseTiming(this.loaded?.taskTimingSeconds, serial);
      this.timingChosen = true;
    }
    return { ok: true, value: session };
  }

  /** Opens c in this session's harness unless it is open there already (or has failed). */
  private async openIn(session: Session, c: ConfigMeasurements): Promise<Step> {
    if (c.failed || session.opened.has(c)) return DONE;
    const opened = await this.open(session.harness, c);
    if (opened.ok && !c.failed) session.opened.add(c);
    return opened;
  }

  /**
   * When the serial warm-up kept more than one core busy with the libraries' own threads, every pool whose
   * workers' threads can be limited is measured again with one library thread per worker (opened when first sampled).
   */
  private addLimitedThreads(configs: Configs, serial: ConfigMeasurements): void {
    const warmup = serial.opened!.warmup;
    const load = warmup.load;
    const hidden = hiddenParallelism({
      busyCores:
        load && load.ownCpuSeconds !== null && load.seconds > 0 ? load.ownCpuSeconds / load.seconds : null,
      otherCpuShare: null,
      threads: warmup.threads ?? null,
      loaded: this.loaded,
    });
    // Threads the tasks start themselves are not the libraries' to limit.
    if (!hidden || (hidden.pools.length === 0 && hidden.startedThreads > 0)) return;
    const planned = configs.all.filter((c) => !c.failed).map((c) => c.config);
    for (const config of limitedThreadConfigs(planned, 1)) {
      configs.all.push({ config, opened: null, passes: [], closed: null });
    }
  }

  /**
   * --chunksize and --order: the chunking backends' configurations at each chunksize asked for, or auto's sweep
   * beside the default chunking (chunksizePlan.ts), and each orderable pool's longest-first twin (orderPlan.ts),
   * planned from the input count and the serial warm-up's tasks.
   */
  private addVariants(configs: Configs, serial: ConfigMeasurements): void {
    this.clampedChunksizes = [];
    const { chunksize: choice, order } = this.plan;
    if (!choice && order !== 'longest-first') return;
    const live = configs.all.filter((c) => !c.failed);
    const inputs = this.loaded?.inputCount ?? 0;
    let planned = live.map((c) => c.config);
    if (choice) {
      const chunked = withChunksizes(planned, choice, inputs, medianTaskSeconds(serial));
      planned = chunked.configs;
      this.clampedChunksizes = chunked.clamped;
    }
    const sorted =
      order === 'longest-first'
        ? longestFirstOrder(serial.opened ? durationsByInput(serial.opened.warmup) : [], inputs)
        : null;
    if (sorted) planned = withLongestFirst(planned, sorted);
    const byId = new Map(live.map((c) => [c.config.id, c]));
    const measured = planned.map(
      (config) => byId.get(config.id) ?? { config, opened: null, passes: [], closed: null },
    );
    configs.all = [...measured, ...configs.all.filter((c) => c.failed)];
  }

  /** Starts c's pool and runs its warm-up; serial has no pool, so its open is just the warm-up pass. */
  private async open(harness: HarnessProcess, c: ConfigMeasurements): Promise<Step> {
    this.hooks.progress(0, 1, `opening ${this.scopeOf(c)}`);
    const serial = c.config.backend === 'serial';
    const reply = await harness.request(
      { op: 'open', config: c.config },
      this.plan.timeoutMs + (serial ? 0 : POOL_ALLOWANCE_MS),
    );
    if (!reply.ok) {
      return this.configFailed(
        c,
        reply.error,
        serial ? 'the warm-up pass' : 'starting the pool and its warm-up pass',
      );
    }
    // The warm-up pass's tasks serve only its summary (the median task): keep that, not a million timings.
    summaryOnly(reply.value.warmup, serial);
    c.opened = c.opened ?? reply.value;
    return DONE;
  }

  private async calibrate({ harness, configs }: Session): Promise<Step> {
    const reply = await harness.request({ op: 'calibrate' }, this.plan.timeoutMs + POOL_ALLOWANCE_MS);
    if (reply.ok) {
      this.calibration = reply.value.calibration;
      return DONE;
    }
    if (reply.error.type === 'lost') return this.lostOutside(reply.error);
    // An argument or result that cannot be serialized rules out every pool that would have to send it.
    const error = answerError(this.name, reply.error);
    this.errors.push(error);
    for (const c of configs.all) if (SERIALIZING.has(c.config.backend) && !c.failed) c.failed = error;
    return DONE;
  }

  // ------------------------------------------------------------------------------------------ rounds

  /** Shuffled rounds of counted passes, as samplingPlan.ts picks them, until it says stop. */
  private async rounds(first: Session): Promise<Step<{ session: Session; reason: string }>> {
    let session = first;
    for (let round = 1; ; round++) {
      const { serial, all } = session.configs;
      const budgetSpent = Date.now() - this.startedAt >= this.plan.budgetMs;
      const next = this.sampling.next(live(all), serial, budgetSpent);
      if (next.stop !== null) return { ok: true, value: { session, reason: next.stop } };
      baselineFirst(next.configs, serial);
      for (const c of next.configs) {
        if (c.failed) continue;
        this.progress(all, c, round);
        const opened = await this.openIn(session, c);
        const passed = opened.ok && !c.failed ? await this.passes(session.harness, c) : opened;
        if (passed.ok) continue;
        if (passed.error.kind !== 'restart') return passed;
        const restarted = this.restart(passed.error.lost);
        if (!restarted.ok) return restarted;
        const up = await this.bringUp();
        if (!up.ok) return up;
        session = up.value;
      }
    }
  }

  /** c's counted pass, after its labelled per-task timeline pass where counted passes are uninstrumented. */
  private async passes(harness: HarnessProcess, c: ConfigMeasurements): Promise<Step> {
    const timing = this.sampling.timingFor(c);
    const first = await this.pass(harness, c, timing);
    if (!first.ok || timing === this.sampling.counted) return first;
    return this.pass(harness, c, this.sampling.counted);
  }

  private async pass(harness: HarnessProcess, c: ConfigMeasurements, timing: PassTiming): Promise<Step> {
    const reply = await harness.request(
      { op: 'pass', id: c.config.id, sample: c.passes.length, timing },
      this.plan.timeoutMs,
    );
    if (!reply.ok) return this.configFailed(c, reply.error, 'a pass');
    this.sampling.record(c, reply.value, timing);
    const now = this.snapshot(this.runningReason, false);
    if (now) this.hooks.measured(now, c.config.id);
    return DONE;
  }

  private progress(all: ConfigMeasurements[], c: ConfigMeasurements, round: number): void {
    const done = all.reduce((sum, x) => sum + x.passes.length, 0);
    const planned = all.reduce(
      (sum, x) => sum + (x.failed ? x.passes.length : (this.plan.repeat ?? minimumSamples(x))),
      0,
    );
    const serial = this.configs?.serial;
    const answer = serial ? this.sampling.provisional(serial, live(all)) : null;
    const so = answer ? ` · so far ${answer}` : '';
    const message = `round ${round}: ${this.scopeOf(c)}${so}`;
    this.hooks.progress(done, Math.max(planned, done + 1), message, answer ?? undefined);
  }

  // ------------------------------------------------------------------------------------------ close

  /** Closes every open pool (its teardown and memory are measured; the serial loop's memory too), then asks the
   * harness to exit. */
  private async close({ harness, configs, opened }: Session): Promise<Step> {
    this.hooks.progress(1, 1, `closing the pools of ${this.name}`);
    for (const c of live(configs.all)) {
      if (!opened.has(c)) continue;
      const reply = await harness.request(
        { op: 'close', id: c.config.id },
        this.plan.timeoutMs + POOL_ALLOWANCE_MS,
      );
      if (reply.ok) c.closed = reply.value;
      else if (reply.error.type === 'lost') return this.lostOutside(reply.error);
    }
    await harness.close(POOL_ALLOWANCE_MS);
    return DONE;
  }

  /** Whatever happened, nothing of the last harness's process group outlives the measurement. */
  private async stopHarness(): Promise<void> {
    const harness = this.harness;
    if (!harness) return;
    harness.killNow();
    await harness.close(1000);
  }

  // ------------------------------------------------------------------------------------------ failures

  /** c's error answer or lost harness: c fails, and the target with it when c is the serial baseline. */
  private configFailed(c: ConfigMeasurements, error: ErrorMessage | HarnessLost, during: LostDuring): Step {
    if (error.type === 'lost' && error.reason === 'cancelled') return halt({ kind: 'cancelled' });
    const scope = this.scopeOf(c);
    const message =
      error.type === 'lost'
        ? lostError(scope, error, during, {
            timeoutMs: this.plan.timeoutMs,
            harnessName: this.plan.harness.name,
            stderrTail: this.harness?.stderr.last(4000),
          })
        : answerError(scope, error);
    c.failed = message;
    this.errors.push(message);
    if (c.config.id === SERIAL_ID) return halt({ kind: 'failed' });
    return error.type === 'lost' ? halt({ kind: 'restart', lost: error }) : DONE;
  }

  private lostOutside(lost: HarnessLost): { ok: false; error: Halt } {
    return halt(lost.reason === 'cancelled' ? { kind: 'cancelled' } : { kind: 'lost', lost });
  }

  /** A lost harness is replaced at most MAX_RESTARTS times for one target. */
  private restart(lost: HarnessLost): Step {
    if (this.restarts >= MAX_RESTARTS) return halt({ kind: 'failed' });
    this.restarts += 1;
    this.hooks.log(`[amdahl] restarting the harness for ${this.name} after: ${lost.message}`);
    return DONE;
  }

  // ------------------------------------------------------------------------------------------ snapshots

  /** Everything measured so far, as analysis reads it; null before the first hello. */
  private snapshot(stopReason: string, partial: boolean): TargetMeasurements | null {
    if (!this.hello || !this.configs) return null;
    const stdout = this.harness?.stdout;
    const stderr = this.harness?.stderr;
    return {
      target: this.plan.target,
      hello: this.hello,
      loaded: this.loaded,
      ...(this.clampedWorkers?.length ? { clampedWorkers: this.clampedWorkers } : {}),
      ...(this.clampedChunksizes?.length ? { clampedChunksizes: this.clampedChunksizes } : {}),
      calibration: this.calibration,
      configs: this.configs.all,
      capturedOutput: {
        stdout: stdout?.text() ?? '',
        stderr: stderr?.text() ?? '',
        stdoutBytes: stdout?.bytes ?? 0,
        stderrBytes: stderr?.bytes ?? 0,
      },
      stopReason,
      precision: this.plan.precision,
      partial,
    };
  }

  private scopeOf(c: ConfigMeasurements): string {
    return describeConfig(this.plan.target, c.config);
  }
}

/** The configurations still measured: those not failed (a pool opens when it is first sampled). */
function live(configs: ConfigMeasurements[]): ConfigMeasurements[] {
  return configs.filter((c) => !c.failed);
}

/**
 * Until the serial loop has a counted pass, it runs first in its round: a profile cancelled after any counted
 * pass then has the baseline its speedups need, so what was measured is kept.
 */
function baselineFirst(configs: ConfigMeasurements[], serial: ConfigMeasurements): void {
  const at = configs.indexOf(serial);
  if (at > 0 && serial.passes.length === 0) configs.unshift(...configs.splice(at, 1));
}
