// `--assert` expressions (docs/contract.md): parsed before anything runs, checked against the finished report at
// the conservative end of each 95% interval, so a pass holds with 95% confidence and not just on the mean.
import { BackendName } from '../../protocol/backends';
import type { AssertionResult, Report, Run } from '../../protocol/report';

export type AssertionMetric = 'speedup' | 'efficiency' | 'recommended';
export type AssertionOperator = '>=' | '<=' | '>' | '<';

export interface Assertion {
  expression: string;
  backend: BackendName;
  metric: AssertionMetric;
  op: AssertionOperator;
  threshold: number;
  /** The worker count the figure is read at; null for `recommended`. */
  workers: number | null;
}

export type AssertionParse = { ok: true; value: Assertion } | { ok: false; error: string };

const SYNTAX =
  /^\s*([a-z-]+)\s*:\s*(speedup|efficiency|recommended)\s*(>=|<=|>|<)\s*([^@\s]+)\s*(?:@\s*(\S+))?\s*$/;

export const ASSERTION_FORM =
  '<backend>:<speedup|efficiency><op><value>@<k> or <backend>:recommended<op><k>, with op >=, <=, > or <';

/** Reads one expression, e.g. "process:speedup>=1.8@2" or "process:recommended>=4". */
export function parseAssertion(expression: string): AssertionParse {
  const match = SYNTAX.exec(expression);
  if (!match) return { ok: false, error: `"${expression}" is not ${ASSERTION_FORM}` };
  const [, backendText, metricText, op, valueText, workersText] = match;
  const backend = BackendName.safeParse(backendText);
  if (!backend.success) {
    return {
      ok: false,
      error: `"${expression}": unknown backend "${backendText}" (known: ${BackendName.options.join(', ')})`,
    };
  }
  const metric = metricText as AssertionMetric;
  const threshold = Number(valueText);
  if (valueText === '' || !Number.isFinite(threshold)) {
    return { ok: false, error: `"${expression}": "${valueText}" is not a number` };
  }
  if (metric === 'recommended') {
    if (workersText !== undefined) {
      return { ok: false, error: `"${expression}": recommended is a worker count and takes no @k` };
    }
    return {
      ok: true,
      value: {
        expression,
        backend: backend.data,
        metric,
        op: op as AssertionOperator,
        threshold,
        workers: null,
      },
    };
  }
  if (workersText === undefined) {
    return { ok: false, error: `"${expression}": ${metric} is read at a worker count: add @k, e.g. @2` };
  }
  const workers = Number(workersText);
  if (!Number.isInteger(workers) || workers < 1) {
    return { ok: false, error: `"${expression}": @${workersText} is not a positive worker count` };
  }
  return {
    ok: true,
    value: { expression, backend: backend.data, metric, op: op as AssertionOperator, threshold, workers },
  };
}

/**
 * Checks every assertion on every run of its backend (several targets, interpreters or start methods make several
 * runs). An expression whose backend ran nowhere still gets a failed entry, so no assertion passes silently.
 */
export function checkAssertions(report: Report, assertions: readonly Assertion[]): AssertionResult[] {
  const results: AssertionResult[] = [];
  for (const assertion of assertions) {
    const runs = assertedRuns(report.runs.filter((run) => run.backend === assertion.backend));
    if (runs.length === 0) {
      results.push({
        expression: assertion.expression,
        passed: false,
        value: null,
        ci95: null,
        reason: `no ${assertion.backend} run in the report`,
      });
    }
    for (const run of runs) results.push(checkOne(assertion, run));
  }
  return results;
}

function checkOne(assertion: Assertion, run: Run): AssertionResult {
  const base = { expression: assertion.expression, ...(run.label ? { scope: run.label } : {}) };
  if (assertion.metric === 'recommended') {
    const workers = run.recommendation?.workers;
    if (workers === undefined)
      return { ...base, passed: false, value: null, ci95: null, reason: 'no recommendation' };
    return { ...base, passed: holds(workers, assertion), value: workers, ci95: null };
  }
  const point = run.points.find((p) => p.workers === assertion.workers);
  if (!point) {
    return {
      ...base,
      passed: false,
      value: null,
      ci95: null,
      reason: `nothing measured at ${assertion.workers} workers`,
    };
  }
  const k = point.workers;
  const [value, ci95]: [number, [number, number]] =
    assertion.metric === 'speedup'
      ? [point.speedup.mean, point.speedup.ci95]
      : [point.efficiency, [point.speedup.ci95[0] / k, point.speedup.ci95[1] / k]];
  // The conservative end: the bound least favourable to the claim.
  const conservative = assertion.op === '>=' || assertion.op === '>' ? ci95[0] : ci95[1];
  return { ...base, passed: holds(conservative, assertion), value, ci95 };
}

function holds(value: number, { op, threshold }: Assertion): boolean {
  switch (op) {
    case '>=':
      return value >= threshold;
    case '<=':
      return value <= threshold;
    case '>':
      return value > threshold;
    case '<':
      return value < threshold;
  }
}

/**
 * The runs an assertion is checked on: the backend as the user runs it. The chunksize sweep's and the longest-first
 * order's extra runs (--chunksize auto, --order) are left out where that run exists; a --chunksize list has only
 * runs at the chunksizes asked for, and those are checked.
 */
function assertedRuns(runs: Run[]): Run[] {
  const plain = runs.filter((run) => run.chunksize === undefined && run.taskOrder === undefined);
  return plain.length > 0 ? plain : runs.filter((run) => run.taskOrder === undefined);
}
