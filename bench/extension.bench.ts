// The extension's benchmarks: discovery on a 10,000-line Python file, the bundled extension's module
// load time, the runner server's idle RSS, and the .vsix size; printed as a markdown section.
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync, statSync, writeFileSync, mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  CodeLensRequest,
  DidOpenTextDocumentNotification,
  InitializeRequest,
  InitializedNotification,
} from 'vscode-languageserver-protocol';
import {
  StreamMessageReader,
  StreamMessageWriter,
  createProtocolConnection,
} from 'vscode-languageserver-protocol/node';
import { DocumentTrees } from '../runner/discovery/documentTrees';
import { Grammars } from '../runner/discovery/grammars';
import { discoverPython } from '../runner/discovery/python';
import { SERVER_EXEC_ARGV } from '../protocol/lsp';
import { packageRoot } from '../runner/profile/packageRoot';

const root = packageRoot();
const dir = mkdtempSync(path.join(os.tmpdir(), 'amdahl-ext-bench-'));

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[middle] ?? 0) : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
}

/** 10,000 lines of ordinary Python: decorated and plain functions, classes with methods, nested defs. */
function generatedPython(): string {
  const lines: string[] = ['import functools', ''];
  for (let i = 0; lines.length < 10_000; i += 1) {
    if (i % 10 === 0) {
      lines.push(`class Model${i}:`, `    def method(self, x):`, `        return x + ${i}`, '');
    } else if (i % 3 === 0) {
      lines.push(`@functools.lru_cache(maxsize=None)`, `def cached_${i}(x):`, `    total = 0`);
      lines.push(`    for item in range(x):`, `        total += item * ${i}`, `    return total`, '');
    } else {
      lines.push(
        `def work_${i}(x):`,
        `    def inner(y):`,
        `        return y * 2`,
        `    return inner(x) + ${i}`,
        '',
      );
    }
  }
  return lines.slice(0, 10_000).join('\n');
}

/** Discovery from scratch, and (interleaved with it) tree-sitter's parse alone: the floor discovery stands on. */
async function discoveryMedianMs(): Promise<{ ms: number; parseMs: number; functions: number }> {
  const parser = await (await Grammars.load()).parser('python');
  const source = generatedPython();
  let functions = 0;
  for (let i = 0; i < 5; i += 1) functions = discoverPython(parser, source).length;
  const times: number[] = [];
  const parseTimes: number[] = [];
  for (let i = 0; i < 31; i += 1) {
    let started = performance.now();
    discoverPython(parser, source);
    times.push(performance.now() - started);
    started = performance.now();
    parser.parse(source)?.delete();
    parseTimes.push(performance.now() - started);
  }
  return { ms: median(times), parseMs: median(parseTimes), functions };
}

/** What the server does on each keystroke: the edited text is parsed incrementally from the document's last tree. */
async function editedDiscoveryMedianMs(): Promise<number> {
  const trees = new DocumentTrees(await Grammars.load());
  const uri = 'file:///big.py';
  const base = generatedPython();
  await trees.discover(uri, 'python', base);
  const middle = base.indexOf('\ndef ', base.length / 2) + 1;
  const times: number[] = [];
  for (let i = 0; i < 31; i += 1) {
    // A one-line edit in the middle of the file: a new function typed above an existing one.
    const edited = `${base.slice(0, middle)}def typed_${i}(x):\n    return x\n\n${base.slice(middle)}`;
    const started = performance.now();
    await trees.discover(uri, 'python', edited);
    times.push(performance.now() - started);
  }
  return median(times);
}

/**
 * The bundled extension's module load, in a fresh Node each time, with a minimal `vscode` stub put in the require
 * cache. This times loading dist/extension.js only; activate() itself needs the real VS Code API.
 */
function moduleLoadMedianMs(): number {
  const script = path.join(dir, 'load.cjs');
  writeFileSync(
    script,
    `const Module = require('module');
const resolve = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) { return request === 'vscode' ? 'vscode' : resolve.call(this, request, ...rest); };
require.cache.vscode = { id: 'vscode', filename: 'vscode', loaded: true, exports: {} };
const started = performance.now();
const extension = require(${JSON.stringify(path.join(root, 'dist', 'extension.js'))});
const ms = performance.now() - started;
if (typeof extension.activate !== 'function') throw new Error('dist/extension.js exports no activate');
process.stdout.write(String(ms));`,
  );
  const times: number[] = [];
  for (let i = 0; i < 11; i += 1) {
    const result = spawnSync(process.execPath, [script], { encoding: 'utf8' });
    if (result.status !== 0) throw new Error(`loading dist/extension.js failed: ${result.stderr}`);
    times.push(Number(result.stdout));
  }
  return median(times);
}

/** The bundled server, started with the extension's flags, after it has answered CodeLens for a file (parsers loaded), then idle for 2 s. */
async function serverIdleRssMb(): Promise<number> {
  const child = spawn(
    process.execPath,
    [...SERVER_EXEC_ARGV, path.join(root, 'dist', 'server.js'), '--stdio'],
    { stdio: 'pipe' },
  );
  try {
    const connection = createProtocolConnection(
      new StreamMessageReader(child.stdout),
      new StreamMessageWriter(child.stdin),
    );
    connection.listen();
    await connection.sendRequest(InitializeRequest.type, {
      processId: process.pid,
      rootUri: null,
      capabilities: {},
      workspaceFolders: null,
    });
    await connection.sendNotification(InitializedNotification.type, {});
    const file = path.join(root, 'samples', 'seed', 'complex_operation.py');
    const uri = pathToFileURL(file).toString();
    await connection.sendNotification(DidOpenTextDocumentNotification.type, {
      textDocument: { uri, languageId: 'python', version: 1, text: readFileSync(file, 'utf8') },
    });
    await connection.sendRequest(CodeLensRequest.type, { textDocument: { uri } });
    await new Promise((resolve) => setTimeout(resolve, 2000));
    const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
    const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? NaN);
    connection.dispose();
    return kb / 1024;
  } finally {
    child.kill('SIGTERM');
  }
}

/** Packages the .vsix and measures it; AMDAHL_BENCH_VSIX names an already built one instead (another machine). */
function vsixSizeMb(): number {
  const built = process.env.AMDAHL_BENCH_VSIX;
  if (built) return statSync(built).size / (1024 * 1024);
  const result = spawnSync('npm', ['run', 'package'], {
    cwd: root,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  if (result.status !== 0) throw new Error(`npm run package failed: ${result.stderr}${result.stdout}`);
  return statSync(path.join(root, 'amdahl.vsix')).size / (1024 * 1024);
}

async function main(): Promise<void> {
  // The .vsix build also writes the production bundles the other measurements load.
  const vsix = vsixSizeMb();
  const discovery = await discoveryMedianMs();
  const edited = await editedDiscoveryMedianMs();
  const load = moduleLoadMedianMs();
  const rss = await serverIdleRssMb();
  const rows: [string, string, string, boolean][] = [
    [
      `Discovery, 10,000-line Python file (${discovery.functions} functions), median of 31`,
      `${discovery.ms.toFixed(1)} ms`,
      '<= 30 ms',
      discovery.ms <= 30,
    ],
    [
      'of which the tree-sitter (WebAssembly) parse alone, median of 31',
      `${discovery.parseMs.toFixed(1)} ms`,
      '',
      true,
    ],
    [
      'Discovery after a one-line edit of that file (incremental parse, as the server does), median of 31',
      `${edited.toFixed(1)} ms`,
      '<= 30 ms',
      edited <= 30,
    ],
    [
      'Extension module load (dist/extension.js, vscode stubbed; not activate()), median of 11',
      `${load.toFixed(1)} ms`,
      '<= 50 ms',
      load <= 50,
    ],
    ['Runner server idle RSS after a CodeLens request', `${rss.toFixed(1)} MB`, '<= 80 MB', rss <= 80],
    ['.vsix size', `${vsix.toFixed(2)} MB`, '<= 5 MB', vsix <= 5],
  ];
  const lines = [
    '## Extension',
    '',
    `Node ${process.versions.node}, ${os.cpus()[0]?.model ?? 'CPU'}, ${os.cpus().length} logical cores.`,
    '',
    '| Measure | Value | Budget | Within |',
    '| --- | --- | --- | --- |',
    ...rows.map(
      ([what, value, budget, ok]) =>
        `| ${what} | ${value} | ${budget} | ${budget === '' ? '' : ok ? 'yes' : '**no**'} |`,
    ),
    '',
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
  if (rows.some(([, , , ok]) => !ok)) process.exitCode = 1;
}

void main();
