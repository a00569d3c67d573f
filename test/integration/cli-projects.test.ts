// Real project layouts through the CLI: each target is imported the way its project imports it (package name,
// src/ layout, namespace package, .env PYTHONPATH, pytest's pythonpath), under fork and under spawn. Every task
// sleeps 100 ms, so the serial pass of 4 inputs takes 0.4 s and S(2) = 2.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { point, repoRoot, runCli, type CliResult } from './cliRunner';
import { median } from '../../runner/analysis/stats';

const projects = path.join(repoRoot, 'test', 'fixtures', 'projects');
const at = (...parts: string[]): string => path.join(projects, ...parts);

interface Case {
  name: string;
  target: string;
  module: string;
  pathEntries: string[];
}

const CASES: Case[] = [
  {
    name: 'a src-layout package with relative imports and data next to __file__',
    target: 'srclayout/src/mypkg/processing.py:crunch',
    module: 'mypkg.processing',
    pathEntries: [at('srclayout', 'src')],
  },
  {
    name: "a test-style module importing the package through pyproject's pythonpath",
    target: 'srclayout/tests/bench_target.py:run',
    module: '__amdahl_target__',
    pathEntries: [at('srclayout', 'tests'), at('srclayout', 'src')],
  },
  {
    name: 'a test-style module importing the package through PYTHONPATH in .env',
    target: 'envfile/tests/bench_target.py:run',
    module: '__amdahl_target__',
    pathEntries: [at('envfile', 'tests'), at('envfile', 'src')],
  },
  {
    name: 'a flat package (no src/) run from its project root, where it reads setup.cfg',
    target: 'flat/flatpkg/core.py:work',
    module: 'flatpkg.core',
    pathEntries: [at('flat')],
  },
  {
    name: 'a namespace package (no __init__.py) under src/',
    target: 'namespace/src/nsdemo/tasks/work.py:step',
    module: 'nsdemo.tasks.work',
    pathEntries: [at('namespace', 'src')],
  },
];

async function profileSleeps(target: string, startMethod: string, extra: string[] = []): Promise<CliResult> {
  return runCli([
    at(...target.split('/')),
    '--backends',
    'process',
    '--start-method',
    startMethod,
    '--workers',
    '2',
    '--inputs',
    'range(4)',
    '--repeat',
    '3',
    ...extra,
  ]);
}

function assertSleepsScale(result: CliResult, backend: 'process' | 'piscina'): void {
  assert.equal(result.code, 0, result.stderr);
  const report = result.report!;
  const serial = point(report, 'serial', 1).wallSeconds.mean;
  assert.ok(serial >= 0.4 && serial < 0.44, `serial pass ${serial} s, expected 4 x 100 ms`);
  // Four 100 ms naps on 2 workers: S(2) = 2 exactly. Judged on the median passes, since with 3 passes one that a
  // busy machine delays (a worker woken 100 ms late leaves the other three naps) would move the mean by a sixth.
  const pool = point(report, backend, 2).wallSeconds.samples;
  const speedup = median(point(report, 'serial', 1).wallSeconds.samples) / median(pool);
  assert.ok(
    Math.abs(speedup - 2) / 2 < 0.1,
    `S(2) = ${speedup} from the medians (pool passes ${pool.join(', ')})`,
  );
  // Results pickled by reference come back as the same values (a class of the package in srclayout).
  assert.deepEqual(
    report.warnings.filter((w) => w.code === 'results-differ'),
    [],
  );
  assert.deepEqual(result.leftovers, []);
}

for (const startMethod of ['fork', 'spawn']) {
  for (const c of CASES) {
    void test(`${c.name} (${startMethod})`, async () => {
      const result = await profileSleeps(c.target, startMethod);
      assertSleepsScale(result, 'process');
      for (const run of result.report!.runs) {
        assert.equal(run.target.module, c.module);
        assert.deepEqual(run.target.pathEntries, c.pathEntries);
      }
    });
  }
}

void test('forkserver workers import the package module by the same dotted name', async () => {
  const result = await profileSleeps(CASES[0]!.target, 'forkserver');
  assertSleepsScale(result, 'process');
  assert.equal(result.report!.runs[0]!.target.module, 'mypkg.processing');
});

const misconfigured = 'misconfigured/tests/bench_lost.py:run';

void test('an import the project does not set up names the module, the entries and how to add one', async () => {
  const result = await profileSleeps(misconfigured, 'spawn');
  assert.equal(result.code, 1);
  const error = result.report!.errors.find((e) => e.code === 'import-failed');
  assert.ok(error, JSON.stringify(result.report!.errors));
  assert.equal(
    error.message,
    "Importing bench_lost.py raised ModuleNotFoundError: No module named 'lostpkg'. Amdahl imported it as a " +
      `loose script, with these sys.path entries added: ${at('misconfigured', 'tests')}. To add a folder, set ` +
      "PYTHONPATH in the project's .env file (e.g. PYTHONPATH=src), list it in [tool.pytest.ini_options] " +
      'pythonpath in pyproject.toml, or in the amdahl.pythonPathEntries setting (CLI: --python-path).',
  );
  assert.match(result.stderr, /No module named 'lostpkg'\. Amdahl imported it as a loose script/);
  assert.deepEqual(result.leftovers, []);
});

void test('--python-path, PYTHONPATH and --env-file add the folder the message asks for', async () => {
  const src = at('misconfigured', 'src');
  const entries = [at('misconfigured', 'tests'), src];
  const given = await profileSleeps(misconfigured, 'spawn', ['--python-path', src]);
  assert.equal(given.code, 0, given.stderr);
  assert.deepEqual(given.report!.runs[0]!.target.pathEntries, entries);

  // PYTHONPATH from the user's environment is Python's own: it works, and Amdahl adds nothing for it.
  const fromEnvironment = await runCli(
    [at(...misconfigured.split('/')), '--backends', 'thread', '--workers', '2', '--repeat', '1'],
    { env: { PYTHONPATH: src } },
  );
  assert.equal(fromEnvironment.code, 0, fromEnvironment.stderr);
  assert.deepEqual(fromEnvironment.report!.runs[0]!.target.pathEntries, [at('misconfigured', 'tests')]);

  const dir = mkdtempSync(path.join(os.tmpdir(), 'amdahl-envfile-'));
  try {
    const envFile = path.join(dir, 'project.env');
    writeFileSync(envFile, `# comment\nOTHER=1\nPYTHONPATH='${src}'\n`);
    const fromFile = await profileSleeps(misconfigured, 'fork', ['--env-file', envFile]);
    assert.equal(fromFile.code, 0, fromFile.stderr);
    assert.deepEqual(fromFile.report!.runs[0]!.target.pathEntries, entries);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

void test("a venv's editable install (a .pth file in its site-packages) works as it is", async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'amdahl-venv-'));
  try {
    const venv = path.join(dir, 'venv');
    execFileSync('python3', ['-m', 'venv', '--without-pip', venv]);
    const python = path.join(venv, 'bin', 'python');
    const site = execFileSync(python, ['-c', 'import sysconfig; print(sysconfig.get_paths()["purelib"])'], {
      encoding: 'utf8',
    }).trim();
    // What `pip install -e .` leaves for a src/ layout (setuptools' path-file mode).
    writeFileSync(path.join(site, '__editable__.lostpkg-0.1.0.pth'), `${at('misconfigured', 'src')}\n`);
    const result = await profileSleeps(misconfigured, 'spawn', ['--python', python]);
    assertSleepsScale(result, 'process');
    assert.deepEqual(result.report!.runs[0]!.target.pathEntries, [at('misconfigured', 'tests')]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

void test('a package named like a module Python has imported already is refused, naming that module', async () => {
  // The standard library's json is imported before the target: a project package named json is shadowed.
  const dir = mkdtempSync(path.join(os.tmpdir(), 'amdahl-shadow-'));
  try {
    const pkg = path.join(dir, 'json');
    writeFileSync(path.join(dir, 'pyproject.toml'), '');
    mkdirSync(pkg);
    writeFileSync(path.join(pkg, '__init__.py'), '');
    writeFileSync(path.join(pkg, 'tasks.py'), 'def f(x):\n    return x\n');
    const result = await runCli([`${path.join(pkg, 'tasks.py')}:f`, '--backends', 'thread', '--repeat', '1']);
    assert.equal(result.code, 1);
    const message = result.report!.errors.find((e) => e.code === 'import-failed')?.message ?? '';
    assert.match(
      message,
      /^Cannot import tasks\.py as json\.tasks: the name json is \S+\/json\/__init__\.py, which Python finds first; rename the package\. Amdahl imported it as the module json\.tasks/,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

// JavaScript and TypeScript: the project's own aliases and workspace packages are bundled, by either esbuild.
const JS_CASES = [
  { name: 'a TypeScript project with tsconfig paths aliases', target: 'ts-paths/src/main.ts' },
  {
    name: 'an ES module package with #imports reading data beside import.meta.url',
    target: 'esm-imports/index.js',
  },
  {
    name: 'an npm workspace package importing its sibling, with its own tsconfig paths',
    target: 'npm-workspace/packages/app/src/main.ts',
  },
];

for (const engine of ['native', 'wasm']) {
  for (const c of JS_CASES) {
    void test(`${c.name} (esbuild ${engine})`, async () => {
      const result = await runCli(
        [`${at(...c.target.split('/'))}:step`, '--workers', '2', '--inputs', '[0, 1, 2, 3]', '--repeat', '3'],
        { env: { AMDAHL_ESBUILD: engine } },
      );
      assertSleepsScale(result, 'piscina');
    });
  }
}

void test('a #import the package.json does not define names the specifier and the package.json', async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'amdahl-imports-'));
  try {
    writeFileSync(path.join(dir, 'package.json'), '{"type": "module", "imports": {"#known": "./known.js"}}');
    writeFileSync(
      path.join(dir, 'main.js'),
      "import { x } from '#unknown';\nexport const f = (n) => n + x;\n",
    );
    const result = await runCli([`${path.join(dir, 'main.js')}:f`, '--repeat', '1']);
    assert.equal(result.code, 1);
    const message = result.report!.errors.find((e) => e.code === 'import-failed')?.message ?? '';
    assert.ok(
      message.includes(
        `Could not resolve "#unknown": "#unknown" is not in the "imports" of ${path.join(dir, 'package.json')}`,
      ),
      message,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
