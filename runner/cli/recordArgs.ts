// The command line of `amdahl record <file>:<function> [--max-calls <n>] [--max-bytes <size>] -- <command...>`.
import { parseArgs } from 'node:util';
import { DEFAULT_MAX_BYTES, DEFAULT_MAX_CALLS } from '../../protocol/recording';
import type { RecordRequest } from '../record/record';
import { parseTarget, positiveInteger, UsageError } from './args';

const UNITS: Record<string, number> = {
  '': 1,
  b: 1,
  kb: 1e3,
  mb: 1e6,
  gb: 1e9,
  kib: 1024,
  mib: 1024 ** 2,
  gib: 1024 ** 3,
};

/** argv after "record". */
export function parseRecordLine(argv: string[], cwd: string): RecordRequest {
  const dashes = argv.indexOf('--');
  if (dashes < 0 || dashes === argv.length - 1) {
    throw new UsageError(
      'record needs the command to run after --, e.g. "amdahl record etl.py:clean -- python -m pytest tests/test_etl.py"',
    );
  }
  let parsed;
  try {
    parsed = parseArgs({
      args: argv.slice(0, dashes),
      allowPositionals: true,
      options: { 'max-calls': { type: 'string' }, 'max-bytes': { type: 'string' } },
    });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const { values, positionals } = parsed;
  if (positionals.length !== 1) {
    throw new UsageError(`record takes one target, <file>:<function> (got ${positionals.length})`);
  }
  const target = parseTarget(positionals[0]!, cwd);
  if (target.language !== 'python') {
    throw new UsageError(
      `record: ${positionals[0]} is ${target.language}; recording is for Python functions`,
    );
  }
  return {
    target,
    command: argv.slice(dashes + 1),
    maxCalls:
      values['max-calls'] === undefined
        ? DEFAULT_MAX_CALLS
        : positiveInteger('--max-calls', values['max-calls']),
    maxBytes: values['max-bytes'] === undefined ? DEFAULT_MAX_BYTES : byteSize(values['max-bytes']),
    cwd,
  };
}

/** "200MB", "50 MiB", "1000000": a positive number of bytes. */
export function byteSize(text: string): number {
  const match = /^\s*(\d+(?:\.\d+)?)\s*([a-z]*)\s*$/i.exec(text);
  const unit = match ? UNITS[match[2]!.toLowerCase()] : undefined;
  const value = match && unit !== undefined ? Math.floor(Number(match[1]) * unit) : NaN;
  if (!Number.isFinite(value) || value < 1) {
    throw new UsageError(`--max-bytes must be a size such as 200MB, 50MiB or 1000000 (got "${text}")`);
  }
  return value;
}
