// The `amdahl` command line: parses docs/contract.md's options, runs the profile engine without VS Code, prints the
// summary and writes the JSON and HTML reports. Exit status 0 profiled, 1 a target failed, 2 bad usage.
import { escapeControl } from '../protocol/terminalText';
import { readFileSync } from 'node:fs';
import { parseReport, type Report } from '../protocol/report';
import { renderStandaloneHtml } from '../webview/shell/html';
import { parseCommandLine, USAGE, UsageError, type CliRequest } from './cli/args';
import { STDOUT, writeOutput } from './cli/outputFile';
import { ProgressBar } from './cli/progressBar';
import { renderSummary } from './cli/table';
import { runRecord } from './cli/recordCommand';
import { killAllHarnesses } from './profile/harnessProcess';
import { packageVersion } from './profile/packageRoot';
import { profile } from './profile/profile';

/** How long a cancel may take to close the harnesses and write the report before the CLI quits anyway. */
const CANCEL_GRACE_MS = 30_000;

async function main(argv: string[]): Promise<number> {
  if (argv[0] === 'record') return runRecord(argv.slice(1));
  let request: CliRequest | 'help' | 'version';
  try {
    request = parseCommandLine(argv, process.cwd());
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`amdahl: ${error.message}\nRun "amdahl --help" for usage.\n`);
      return 2;
    }
    throw error;
  }
  if (request === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  if (request === 'version') {
    process.stdout.write(`${packageVersion()}\n`);
    return 0;
  }
  // Read the baseline first: a bad --compare file is a usage error, found before minutes of measuring.
  let baseline: Report | undefined;
  if (request.compare) {
    const loaded = readReport(request.compare);
    if (!loaded.ok) {
      process.stderr.write(`amdahl: --compare ${request.compare}: ${loaded.error}\n`);
      return 2;
    }
    baseline = loaded.value;
  }

  const controller = new AbortController();
  const interrupts = handleInterrupts(controller);
  process.on('exit', killAllHarnesses);

  const bar = request.progress ? new ProgressBar() : null;
  const { report, exitCode } = await profile(
    request.options,
    {
      progress: (p) => bar?.update(p.fraction, p.message),
      log: (line) => {
        if (process.env.AMDAHL_DEBUG) process.stderr.write(`${escapeControl(line)}\n`);
      },
    },
    controller.signal,
  );
  bar?.done();
  interrupts.measured();
  report.command = ['amdahl', ...argv];

  // With an output on standard output, it carries that output alone: the summary goes to stderr.
  const toStdout = request.json === STDOUT || request.html === STDOUT;
  const say = (text: string): boolean => (toStdout ? process.stderr.write(text) : process.stdout.write(text));
  say(`${escapeControl(renderSummary(report), { keepNewlines: true })}\n`);
  for (const error of report.errors) process.stderr.write(`amdahl: ${escapeControl(error.message)}\n`);
  const outputs: [string, string | null, () => string][] = [
    ['report', request.json, () => `${JSON.stringify(report, null, 2)}\n`],
    ['page', request.html, () => renderStandaloneHtml(report, baseline ? { baseline } : {})],
  ];
  let unwritten = false;
  for (const [what, file, render] of outputs) {
    if (file === null) continue;
    const written = await writeOutput(file, render());
    if (written.ok) {
      if (file !== STDOUT) say(`${what}: ${escapeControl(file)}\n`);
    } else {
      unwritten = true;
      process.stderr.write(
        `amdahl: the ${what} could not be written to ${escapeControl(file)}: ${written.reason}.\n`,
      );
    }
  }
  // An output that cannot be written is a bad option (2), unless a target failed (1), which says more.
  if (unwritten && exitCode !== 1) return 2;
  return exitCode;
}

/**
 * SIGINT and SIGTERM cancel the measuring, keeping what was measured; a second signal, a signal once measuring is
 * over, or a cancel that takes too long ends the CLI at once.
 */
function handleInterrupts(controller: AbortController): { measured: () => void } {
  let interrupts = 0;
  let measuring = true;
  const interrupt = (signal: NodeJS.Signals): void => {
    interrupts += 1;
    const code = 128 + (signal === 'SIGTERM' ? 15 : 2);
    if (interrupts > 1 || !measuring) {
      killAllHarnesses();
      process.exit(code);
    }
    process.stderr.write(
      '\namdahl: cancelling; the report keeps what was measured (press Ctrl-C again to quit now)\n',
    );
    controller.abort();
    setTimeout(() => {
      process.stderr.write(`amdahl: the cancel took longer than ${CANCEL_GRACE_MS / 1000} s; quitting\n`);
      killAllHarnesses();
      process.exit(code);
    }, CANCEL_GRACE_MS).unref();
  };
  process.on('SIGINT', interrupt);
  process.on('SIGTERM', interrupt);
  return { measured: () => (measuring = false) };
}

function readReport(file: string): { ok: true; value: Report } | { ok: false; error: string } {
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    return { ok: false, error: (error as Error).message };
  }
  return parseReport(data);
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    killAllHarnesses();
    process.stderr.write(
      `amdahl: internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exitCode = 1;
  },
);
