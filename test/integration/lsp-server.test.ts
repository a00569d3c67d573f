// The runner's language server over stdio, spoken to with vscode-jsonrpc as the extension would: CodeLens, the
// function list, a profile with progress and partial results, cancel, bad requests, and a runner killed mid-run.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { test } from 'node:test';
import {
  CodeLensRefreshRequest,
  CodeLensRequest,
  DidOpenTextDocumentNotification,
  InitializeRequest,
  InitializedNotification,
  type CodeLens,
} from 'vscode-languageserver-protocol';
import {
  StreamMessageReader,
  StreamMessageWriter,
  createProtocolConnection,
  type ProtocolConnection,
} from 'vscode-languageserver-protocol/node';
import { twoBackendReport } from '../fixtures/reports/synthetic';
import { parseReport, type Point, type Report } from '../../protocol/report';
import { taskCount } from '../../protocol/taskTable';
import {
  CancelNotification,
  CompareRequest,
  FunctionsRequest,
  PartialNotification,
  ProfileRequest,
  ProgressNotification,
  type PartialParams,
  type ProfileParams,
  type ProgressParams,
} from '../../protocol/lsp';
import type { ProfileOptions } from '../../protocol/profile';

const ROOT = path.join(__dirname, '..', '..');
const FIXTURE = path.join(ROOT, 'test', 'fixtures', 'discovery', 'naps.py');

interface Server {
  child: ChildProcess;
  connection: ProtocolConnection;
  progress: ProgressParams[];
  partials: PartialParams[];
  refreshes: number;
  stderr: string[];
}

async function startServer(): Promise<Server> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', path.join(ROOT, 'runner', 'server.ts'), '--stdio'],
    {
      cwd: ROOT,
      stdio: ['pipe', 'pipe', 'pipe'],
    },
  );
  const stderr: string[] = [];
  child.stderr?.on('data', (chunk: Buffer) => stderr.push(chunk.toString()));
  if (!child.stdout || !child.stdin) throw new Error('the server has no stdio');
  const connection = createProtocolConnection(
    new StreamMessageReader(child.stdout),
    new StreamMessageWriter(child.stdin),
  );
  const server: Server = { child, connection, progress: [], partials: [], refreshes: 0, stderr };
  connection.onNotification(ProgressNotification, (params) => {
    server.progress.push(params);
  });
  connection.onNotification(PartialNotification, (params) => {
    server.partials.push(params);
  });
  connection.onRequest(CodeLensRefreshRequest.type, () => {
    server.refreshes += 1;
  });
  // Log lines (window/logMessage) are the runner's diagnostics; keep them for failure messages.
  connection.onNotification('window/logMessage', (params: { message: string }) => {
    stderr.push(params.message);
  });
  connection.listen();
  await connection.sendRequest(InitializeRequest.type, {
    processId: process.pid,
    rootUri: pathToFileURL(ROOT).toString(),
    capabilities: { workspace: { codeLens: { refreshSupport: true } } },
    workspaceFolders: null,
  });
  await connection.sendNotification(InitializedNotification.type, {});
  return server;
}

async function stopServer(server: Server): Promise<void> {
  server.connection.dispose();
  if (server.child.exitCode === null && server.child.signalCode === null) {
    const exited = new Promise((resolve) => server.child.once('exit', resolve));
    server.child.kill('SIGTERM');
    await exited;
  }
}

async function open(server: Server, file: string): Promise<string> {
  const uri = pathToFileURL(file).toString();
  await server.connection.sendNotification(DidOpenTextDocumentNotification.type, {
    textDocument: { uri, languageId: 'python', version: 1, text: readFileSync(file, 'utf8') },
  });
  return uri;
}

function options(
  file: string,
  fn: string,
  inputs: string,
  overrides: Partial<ProfileOptions> = {},
): ProfileOptions {
  return {
    targets: [{ file, function: fn, language: 'python' }],
    inputs,
    starmap: false,
    workers: [1, 2],
    backends: ['thread'],
    startMethods: null,
    pythons: [],
    repeat: 3,
    budgetSeconds: 10,
    timeoutSeconds: 60,
    engineOptions: {},
    cwd: path.dirname(file),
    ...overrides,
  };
}

/** Every process below `pid` (harness groups are detached but remain its descendants), from /proc. */
function descendants(pid: number): { pid: number; cmdline: string }[] {
  const children = new Map<number, number[]>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      children.set(ppid, [...(children.get(ppid) ?? []), Number(name)]);
    } catch {
      continue;
    }
  }
  const found: { pid: number; cmdline: string }[] = [];
  const visit = (parent: number): void => {
    for (const child of children.get(parent) ?? []) {
      let cmdline = '';
      try {
        cmdline = readFileSync(`/proc/${child}/cmdline`, 'utf8').replace(/\0/g, ' ');
      } catch {
        continue;
      }
      found.push({ pid: child, cmdline });
      visit(child);
    }
  };
  visit(pid);
  return found;
}

function isZombie(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z');
  } catch {
    return true;
  }
}

async function until(condition: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

function profileParams(uri: string, runId: string, profileOptions: ProfileOptions): ProfileParams {
  return { runId, uri, options: profileOptions };
}

void test('CodeLens above each module-level function, and the function list with reasons', async () => {
  const server = await startServer();
  try {
    const uri = await open(server, FIXTURE);
    const lenses = (await server.connection.sendRequest(CodeLensRequest.type, {
      textDocument: { uri },
    })) as CodeLens[];
    assert.deepEqual(
      lenses.map((lens) => [lens.range.start.line, lens.command?.title, lens.command?.arguments]),
      [
        [4, 'Profile Parallel Speedup', [uri, 'nap']],
        [9, 'Profile Parallel Speedup', [uri, 'long_nap']],
      ],
    );
    const listed = await server.connection.sendRequest(FunctionsRequest, { uri });
    assert.equal(listed.language, 'python');
    const method = listed.functions.find((fn) => fn.name === 'method');
    assert.equal(method?.profilable, false);
    assert.match(method?.reason ?? '', /method/);
  } finally {
    await stopServer(server);
  }
});

void test('compare answers with verdicts, and with a clear error for an invalid or unrelated report', async () => {
  const server = await startServer();
  try {
    const base = twoBackendReport();
    const slower = structuredClone(base);
    for (const run of slower.runs) {
      for (const point of run.points) point.wallSeconds.samples = point.wallSeconds.samples.map((s) => s * 2);
    }
    const result = await server.connection.sendRequest(CompareRequest, {
      base: { file: 'before.json', report: base },
      new: { file: 'after.json', report: slower },
    });
    assert.ok(result.ok, result.ok ? '' : result.error);
    assert.equal(result.comparison.points.length, 9);
    assert.ok(result.comparison.points.every((p) => p.verdict === 'slower' && Math.abs(p.ratio - 2) < 1e-9));
    const invalid = await server.connection.sendRequest(CompareRequest, {
      base: { file: 'before.json', report: base },
      new: { file: 'broken.json', report: { ...slower, runs: 'none' } as unknown as typeof slower },
    });
    assert.deepEqual(invalid.ok, false);
    assert.match(invalid.ok ? '' : invalid.error, /^broken\.json: not a valid Amdahl report .*runs/);
    const other = structuredClone(base);
    for (const run of other.runs) run.target.function = 'elsewhere';
    const unrelated = await server.connection.sendRequest(CompareRequest, {
      base: { file: 'before.json', report: base },
      new: { file: 'other.json', report: other },
    });
    assert.match(unrelated.ok ? '' : unrelated.error, /no target, backend and interpreter in common/);
  } finally {
    await stopServer(server);
  }
});

void test('a profile answers with a report, after progress and partial results; the lens then shows it', async () => {
  const server = await startServer();
  try {
    const uri = await open(server, FIXTURE);
    const result = await server.connection.sendRequest(
      ProfileRequest,
      profileParams(uri, 'run-1', options(FIXTURE, 'nap', 'range(8)')),
    );
    assert.ok(result.ok, `the profile failed: ${JSON.stringify(result)}\n${server.stderr.join('')}`);
    assert.deepEqual(result.report.errors, []);
    const thread = result.report.runs.find((run) => run.backend === 'thread');
    assert.deepEqual(
      thread?.points.map((point) => point.workers),
      [1, 2],
    );
    // Eight 50 ms naps: about 0.4 s serially and 0.2 s on two threads, so S(2) is near 2.
    const s2 = thread?.points.find((point) => point.workers === 2)?.speedup.mean ?? 0;
    assert.ok(s2 > 1.5 && s2 < 2.2, `S(2) = ${s2}`);
    assert.ok(server.progress.length > 0 && server.progress.every((p) => p.runId === 'run-1'));
    assert.ok(server.progress.some((p) => p.progress.phase === 'measuring'));
    assert.ok(server.partials.some((p) => p.run.backend === 'thread' && p.point.workers === 2));
    assert.ok(server.refreshes > 0, 'the server asked the client to refresh its lenses');
    const lenses = (await server.connection.sendRequest(CodeLensRequest.type, {
      textDocument: { uri },
    })) as CodeLens[];
    const resultLens = lenses.find(
      (lens) => lens.range.start.line === 4 && /x on \d+ workers?/.test(lens.command?.title ?? ''),
    );
    assert.ok(resultLens, `no result lens: ${JSON.stringify(lenses.map((lens) => lens.command?.title))}`);
    assert.match(resultLens.command?.title ?? '', /% efficient/);
  } finally {
    await stopServer(server);
  }
});

void test('given a report file, the runner writes the whole report there and answers it without task tables', async () => {
  const server = await startServer();
  const folder = mkdtempSync(path.join(os.tmpdir(), 'amdahl-report-file-'));
  try {
    const uri = await open(server, FIXTURE);
    const reportFile = path.join(folder, 'nap.report.json');
    const result = await server.connection.sendRequest(ProfileRequest, {
      ...profileParams(uri, 'run-file', options(FIXTURE, 'nap', 'range(8)')),
      reportFile,
    });
    assert.ok(result.ok, `the profile failed: ${JSON.stringify(result)}\n${server.stderr.join('')}`);
    assert.equal(result.reportFile, reportFile);
    const whole = parseReport(JSON.parse(readFileSync(reportFile, 'utf8')));
    assert.ok(whole.ok, whole.ok ? '' : whole.error);
    const points = (report: Report): Point[] => report.runs.flatMap((run) => run.points);
    assert.ok(points(whole.value).length > 0);
    assert.ok(
      points(whole.value).every((point) => taskCount(point.tasks) > 0),
      "the file keeps every point's tasks",
    );
    assert.ok(
      points(result.report).every(
        (point) => taskCount(point.tasks) === 0 && point.passes.every((pass) => pass.tasks === undefined),
      ),
      'the answer carries no task table',
    );
    assert.deepEqual(
      points(result.report).map((point) => point.speedup),
      points(whole.value).map((point) => point.speedup),
      'the answer is the same report otherwise',
    );
    assert.deepEqual(result.report.warnings, whole.value.warnings);
  } finally {
    await stopServer(server);
    rmSync(folder, { recursive: true, force: true });
  }
});

void test('while a profile runs, the lens shows the answer so far; afterwards the final one', async () => {
  const server = await startServer();
  try {
    const uri = await open(server, FIXTURE);
    const lensTitles = async (): Promise<string[]> => {
      const lenses = (await server.connection.sendRequest(CodeLensRequest.type, {
        textDocument: { uri },
      })) as CodeLens[];
      return lenses.filter((lens) => lens.range.start.line === 4).map((lens) => lens.command?.title ?? '');
    };
    let ended = false;
    const answer = server.connection
      .sendRequest(
        ProfileRequest,
        profileParams(uri, 'run-live', options(FIXTURE, 'nap', 'range(8)', { repeat: 8 })),
      )
      .finally(() => (ended = true));
    const refreshed = server.refreshes;
    while (!ended && !server.partials.some((p) => p.point.workers === 2 && p.run.backend === 'thread')) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    while (!ended && server.refreshes === refreshed) await new Promise((resolve) => setTimeout(resolve, 50));
    const during = await lensTitles();
    assert.equal(ended, false, 'the run ended before the lens could be read while it ran');
    assert.ok(
      during.some((title) =>
        /^so far \d+\.\d\dx( \[\d+\.\d\d, \d+\.\d\d\])? on \d+ workers? \(thread\), running$/.test(title),
      ),
      `no provisional lens while running: ${JSON.stringify(during)}`,
    );
    const result = await answer;
    assert.ok(result.ok);
    const after = await lensTitles();
    assert.ok(
      !after.some((title) => /so far/.test(title)),
      `a provisional lens after the run: ${JSON.stringify(after)}`,
    );
    assert.ok(
      after.some((title) => /x on \d+ workers?, \d+% efficient/.test(title)),
      JSON.stringify(after),
    );
  } finally {
    await stopServer(server);
  }
});

void test('cancel answers with a partial report and leaves no process within 2 s', async () => {
  const server = await startServer();
  try {
    const uri = await open(server, FIXTURE);
    const answer = server.connection.sendRequest(
      ProfileRequest,
      profileParams(
        uri,
        'run-cancel',
        options(FIXTURE, 'long_nap', 'range(40)', { backends: ['process'], repeat: 5 }),
      ),
    );
    await until(() => server.progress.some((p) => p.progress.phase === 'measuring'), 60_000, 'measuring');
    assert.ok(
      descendants(server.child.pid ?? 0).some((p) => /python/.test(p.cmdline)),
      'no harness to cancel',
    );
    const cancelledAt = Date.now();
    await server.connection.sendNotification(CancelNotification, { runId: 'run-cancel' });
    const result = await answer;
    assert.ok(result.ok, JSON.stringify(result));
    assert.equal(result.report.partial, true);
    assert.ok(
      result.report.errors.some((error) => error.code === 'cancelled'),
      JSON.stringify(result.report.errors),
    );
    await until(
      () => !descendants(server.child.pid ?? 0).some((p) => /python/.test(p.cmdline)),
      2_000,
      'no python left',
    );
    assert.ok(Date.now() - cancelledAt < 2_500, `cancel took ${Date.now() - cancelledAt} ms`);
  } finally {
    await stopServer(server);
  }
});

void test('a function that no longer exists, a deleted file: clear errors, and the server keeps working', async () => {
  const server = await startServer();
  const dir = mkdtempSync(path.join(os.tmpdir(), 'amdahl-lsp-'));
  try {
    const file = path.join(dir, 'naps.py');
    copyFileSync(FIXTURE, file);
    const uri = await open(server, file);
    const missing = await server.connection.sendRequest(
      ProfileRequest,
      profileParams(uri, 'run-missing', options(file, 'renamed_away', 'range(4)')),
    );
    assert.equal(missing.ok, false);
    assert.ok(!missing.ok && missing.error.code === 'function-not-found');
    assert.match(!missing.ok ? missing.error.message : '', /renamed_away.*nap, long_nap/);
    const method = await server.connection.sendRequest(
      ProfileRequest,
      profileParams(uri, 'run-method', options(file, 'method', 'range(4)')),
    );
    assert.ok(!method.ok && method.error.code === 'function-not-profilable');
    rmSync(file);
    const deleted = await server.connection.sendRequest(
      ProfileRequest,
      profileParams(uri, 'run-deleted', options(file, 'nap', 'range(4)')),
    );
    assert.ok(!deleted.ok && deleted.error.code === 'file-not-found', JSON.stringify(deleted));
    const lenses = (await server.connection.sendRequest(CodeLensRequest.type, {
      textDocument: { uri },
    })) as CodeLens[];
    assert.equal(lenses.length, 2, 'the open document still has its lenses');
  } finally {
    rmSync(dir, { recursive: true, force: true });
    await stopServer(server);
  }
});

void test('a runner killed mid-run: the request fails, partial results were already sent, no harness is left', async () => {
  const server = await startServer();
  try {
    const uri = await open(server, FIXTURE);
    const answer = server.connection.sendRequest(
      ProfileRequest,
      profileParams(uri, 'run-crash', options(FIXTURE, 'nap', 'range(8)', { repeat: 50, budgetSeconds: 60 })),
    );
    // The client keeps what arrives before the crash: wait for a partial point, then kill the runner outright.
    await until(() => server.partials.length > 0, 60_000, 'a partial result');
    const harnesses = descendants(server.child.pid ?? 0).map((p) => p.pid);
    assert.ok(harnesses.length > 0, 'no harness was running');
    const exited = new Promise((resolve) => server.child.once('exit', resolve));
    server.child.kill('SIGKILL');
    await exited;
    // The language client disposes its connection when the server process exits; pending requests then fail.
    server.connection.dispose();
    await assert.rejects(answer);
    assert.ok(server.partials.every((p) => p.runId === 'run-crash'));
    // Orphaned, the harness reads end-of-file on its command pipe and leaves; its pool goes with it.
    const alive = (): number[] => harnesses.filter((pid) => existsSync(`/proc/${pid}`) && !isZombie(pid));
    await until(
      () => alive().length === 0,
      5_000,
      `the orphaned harness to exit (still: ${alive().join(', ')})`,
    ).catch((error: unknown) => {
      const left = alive().map(
        (pid) => `${pid}: ${readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ')}`,
      );
      for (const pid of alive()) process.kill(pid, 'SIGKILL');
      throw new Error(`${String(error)}\n${left.join('\n')}`);
    });
  } finally {
    await stopServer(server);
  }
});

void test('a notebook cell: lenses above its functions (magic lines read as blank), a profile of the notebook names the cell, errors are data', async () => {
  const server = await startServer();
  const notebook = path.join(ROOT, 'test', 'fixtures', 'notebooks', 'magics.ipynb');
  try {
    // VS Code's notebook editor syncs each cell as a text document whose URI has the vscode-notebook-cell scheme.
    const uri = `vscode-notebook-cell:${pathToFileURL(notebook).pathname}#W6sZmlsZQ%3D%3D`;
    await server.connection.sendNotification(DidOpenTextDocumentNotification.type, {
      textDocument: {
        uri,
        languageId: 'python',
        version: 1,
        text: '%load_ext autoreload\n!pip list\n# amdahl: inputs=range(10)\ndef nap(i):\n    time.sleep(NAP_SECONDS)\n',
      },
    });
    const lenses = (await server.connection.sendRequest(CodeLensRequest.type, {
      textDocument: { uri },
    })) as CodeLens[];
    assert.deepEqual(
      lenses.map((lens) => [lens.range.start.line, lens.command?.arguments]),
      [[3, [uri, 'nap']]],
    );
    const listed = await server.connection.sendRequest(FunctionsRequest, { uri });
    assert.equal(listed.functions[0]?.inputs, 'range(10)');
    // A %%writefile cell's def is written to a file, not run: the module leaves the cell out, so no lens.
    const writefile = `vscode-notebook-cell:${pathToFileURL(notebook).pathname}#X10sZmlsZQ%3D%3D`;
    await server.connection.sendNotification(DidOpenTextDocumentNotification.type, {
      textDocument: {
        uri: writefile,
        languageId: 'python',
        version: 1,
        text: '%%writefile helper.py\ndef helper(x):\n    return x\n',
      },
    });
    assert.deepEqual(
      await server.connection.sendRequest(CodeLensRequest.type, { textDocument: { uri: writefile } }),
      [],
    );
    const result = await server.connection.sendRequest(
      ProfileRequest,
      profileParams(uri, 'run-nb', options(notebook, 'nap', 'range(4)', { workers: [1, 2], repeat: 2 })),
    );
    assert.ok(result.ok, `the profile failed: ${JSON.stringify(result)}\n${server.stderr.join('')}`);
    assert.deepEqual(result.report.errors, []);
    assert.equal(result.report.runs[0]?.target.cell, 6);
    const missing = await server.connection.sendRequest(
      ProfileRequest,
      profileParams(uri, 'run-nb-2', options(notebook, 'gone', 'range(4)')),
    );
    assert.ok(!missing.ok);
    assert.equal(missing.error.code, 'function-not-found');
    assert.match(missing.error.message, /magics\.ipynb define no top-level function gone; they offer nap/);
  } finally {
    await stopServer(server);
  }
});
