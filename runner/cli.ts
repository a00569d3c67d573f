// The `amdahl` command line: parses docs/contract.md's options, runs the profile engine without VS Code, prints the
// summary and writes the JSON, HTML and Markdown reports; `compare` and `report` work on stored reports. Exit status
// 0 profiled, 1 a target failed, 2 bad usage, 3 an --assert or --fail-on-regression failed.
import type { Comparison } from '../protocol/comparison';
import type { Report } from '../protocol/report';
import { escapeControl } from '../protocol/terminalText';
import { standaloneHtmlPieces } from '../webview/shell/html';
import { checkAssertions } from './analysis/assertions';
import { compareReports } from './analysis/compare';
import { parseCommandLine, USAGE, UsageError, type CliRequest, type Request } from './cli/args';
import { compareCommand, reportCommand } from './cli/storedReports';
import { comparisonMarkdown, reportMarkdown } from './cli/markdown';
import { sayer, writeOutputs } from './cli/outputFile';
import { readReportFile } from './cli/readReport';
import { ProgressBar } from './cli/progressBar';
import { renderSummary } from './cli/table';
import { runRecord } from './cli/recordCommand';
import { killAllHarnesses } from './profile/harnessProcess';
import { packageVersion } from './profile/packageRoot';
import { profile } from './profile/profile';
import { readableJsonLines } from '../protocol/taskTable';

/** How long a cancel may take to close the harnesses and write the report before the CLI quits anyway. */
const CANCEL_GRACE_MS = 30_000;

async function main(argv: string[]): Promise<number> {
  if (argv[0] === 'record') return runRecord(argv.slice(1));
  let request: Request | 'help' | 'version';
  try {
    request = parseCommandLine(argv, process.cwd());
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`amdahl: ${escapeControl(error.message)}\nRun "amdahl --help" for usage.\n`);
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
  if (request.command === 'compare') return compareCommand(request);
  if (request.command === 'report') return reportCommand(request);
  return profileCommand(request, argv);
}

async function profileCommand(request: CliRequest, argv: string[]): Promise<number> {
  // Read the baseline first: a bad --compare file is a usage error, found before minutes of measuring.
  let baseline: Report | undefined;
  if (request.compare) {
    const loaded = readReportFile(request.compare);
    if (!loaded.ok) {
      process.stderr.write(
        `amdahl: --compare ${escapeControl(request.compare)}: ${escapeControl(loaded.error)}\n`,
      );
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
      progress: (p) => bar?.update(p.fraction, p.message, p.provisional !== undefined),
      log: (line) => {
        if (process.env.AMDAHL_DEBUG) process.stderr.write(`${escapeControl(line)}\n`);
      },
    },
    controller.signal,
  );
  bar?.done();
  interrupts.measured();
  report.command = ['amdahl', ...argv];
  if (request.assertions.length > 0) report.assertions = checkAssertions(report, request.assertions);

  // With an output on standard output, it carries that output alone: the summary goes to stderr.
  const say = sayer([request.json, request.html, request.markdown]);
  say(
    `${escapeControl(renderSummary(report, { pop: request.pop, memory: request.memory }), { keepNewlines: true })}\n`,
  );
  for (const error of report.errors) process.stderr.write(`amdahl: ${escapeControl(error.message)}\n`);
  const comparison = baseline ? compareWithBaseline(request.compare!, baseline, report) : undefined;
  const written = await writeOutputs(
    [
      ['report', request.json, () => readableJsonLines(report)],
      ['page', request.html, () => standaloneHtmlPieces(report, { baseline, comparison })],
      [
        'summary',
        request.markdown,
        () => `${reportMarkdown(report)}${comparison ? `\n${comparisonMarkdown(comparison)}` : ''}`,
      ],
    ],
    say,
  );
  // A target that failed (1) says the most; then an output that cannot be written (a bad option, 2); then a
  // failed assertion (3), whose report was still written.
  if (exitCode === 1) return 1;
  if (!written) return 2;
  if (report.assertions?.some((assertion) => !assertion.passed)) return 3;
  return exitCode;
}

/** --compare: the verdicts of this profile against the baseline, or undefined (said on stderr) when none match. */
function compareWithBaseline(file: string, baseline: Report, report: Report): Comparison | undefined {
  const outcome = compareReports({ file, report: baseline }, { file: 'this profile', report });
  if (outcome.ok) return outcome.value;
  process.stderr.write(
    `amdahl: --compare ${escapeControl(file)}: no verdicts: ${escapeControl(outcome.error)}\n`,
  );
  return undefined;
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
