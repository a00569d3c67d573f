// The `amdahl` command line: parses docs/contract.md's options, runs the profile engine without VS Code, prints the
// summary and writes the JSON and HTML reports. Exit status 0 profiled, 1 a target failed, 2 bad usage.
import { readFileSync } from 'node:fs';
import { writeAtomically } from '../protocol/atomicWrite';
import { parseReport, type Report } from '../protocol/report';
import { renderStandaloneHtml } from '../webview/shell/html';
import { parseCommandLine, USAGE, UsageError, type CliRequest } from './cli/args';
import { ProgressBar } from './cli/progressBar';
import { renderSummary } from './cli/table';
import { killAllHarnesses } from './profile/harnessProcess';
import { packageVersion } from './profile/packageRoot';
import { profile } from './profile/profile';

async function main(argv: string[]): Promise<number> {
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
  let interrupts = 0;
  const interrupt = (): void => {
    interrupts += 1;
    if (interrupts > 1) {
      killAllHarnesses();
      process.exit(130);
    }
    process.stderr.write(
      '\namdahl: cancelling; the report keeps what was measured (press Ctrl-C again to quit now)\n',
    );
    controller.abort();
  };
  process.on('SIGINT', interrupt);
  process.on('SIGTERM', interrupt);
  process.on('exit', killAllHarnesses);

  const bar = request.progress ? new ProgressBar() : null;
  const { report, exitCode } = await profile(
    request.options,
    {
      progress: (p) => bar?.update(p.fraction, p.message),
      log: (line) => {
        if (process.env.AMDAHL_DEBUG) process.stderr.write(`${line}\n`);
      },
    },
    controller.signal,
  );
  bar?.done();
  report.command = ['amdahl', ...argv];

  process.stdout.write(`${renderSummary(report)}\n`);
  for (const error of report.errors) process.stderr.write(`amdahl: ${error.message}\n`);
  if (request.json) {
    await writeAtomically(request.json, `${JSON.stringify(report, null, 2)}\n`);
    process.stdout.write(`report: ${request.json}\n`);
  }
  if (request.html) {
    await writeAtomically(request.html, renderStandaloneHtml(report, baseline ? { baseline } : {}));
    process.stdout.write(`page: ${request.html}\n`);
  }
  return exitCode;
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
