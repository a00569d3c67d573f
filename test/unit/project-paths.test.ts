// The runner's side of "import the target as the project does": the project root, .env PYTHONPATH, pytest's
// pythonpath in pyproject.toml, and their order of precedence; and the CLI options that add to them.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { parseCommandLine, UsageError } from '../../runner/cli/args';
import { projectRoot, pythonPathEntries, readEnvFile } from '../../runner/profile/projectPaths';

const projects = path.resolve(__dirname, '..', 'fixtures', 'projects');

void test('.env lines: export, quotes, comments and ${VAR} from earlier lines or the environment', () => {
  const text = [
    '# a comment',
    'export A=one # trailing comment',
    "B='${A} stays literal'",
    'C="${A}:${HOME_DIR}"',
    'not a line',
    'D = spaced ',
  ].join('\n');
  assert.deepEqual(readEnvFile(text, { HOME_DIR: '/home/me' }), {
    A: 'one',
    B: '${A} stays literal',
    C: 'one:/home/me',
    D: 'spaced',
  });
});

void test('the project root is the nearest folder with pyproject.toml, setup.cfg, package.json or .git', () => {
  assert.equal(
    projectRoot(path.join(projects, 'srclayout', 'src', 'mypkg', 'processing.py')),
    path.join(projects, 'srclayout'),
  );
  assert.equal(
    projectRoot(path.join(projects, 'envfile', 'tests', 'bench_target.py')),
    path.join(projects, 'envfile'),
  );
});

void test('entries in order: given, then .env PYTHONPATH, then pytest pythonpath; relative to their files', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'amdahl-paths-'));
  try {
    mkdirSync(path.join(dir, 'pkg', 'tests'), { recursive: true });
    writeFileSync(
      path.join(dir, 'pkg', 'pyproject.toml'),
      '[tool.pytest.ini_options]\npythonpath = ["src", "lib"]\n',
    );
    writeFileSync(path.join(dir, 'pkg', '.env'), `PYTHONPATH=envsrc${path.delimiter}src\n`);
    const file = path.join(dir, 'pkg', 'tests', 'bench.py');
    const sources = { given: ['/given'], envFile: null, cwd: dir, env: {} };
    const { entries, problems } = pythonPathEntries(file, sources);
    const at = (p: string): string => path.join(dir, 'pkg', p);
    assert.deepEqual(entries, ['/given', at('envsrc'), at('src'), at('lib')]);
    assert.deepEqual(problems, []);

    writeFileSync(path.join(dir, 'pkg', 'pyproject.toml'), '[tool.pytest.ini_options\n');
    const broken = pythonPathEntries(file, sources);
    assert.deepEqual(broken.entries, ['/given', at('envsrc'), at('src')]);
    assert.match(broken.problems[0]!, /^Cannot read .*pyproject\.toml: /);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

void test('--python-path is repeatable and resolved from the working folder; --env-file must exist', () => {
  const request = parseCommandLine(
    [
      'profile',
      'flat/flatpkg/core.py:work',
      '--python-path',
      'src',
      '--python-path',
      '/abs',
      '--env-file',
      'srclayout/pyproject.toml',
    ],
    projects,
  );
  assert.ok(typeof request === 'object' && request.command === 'profile');
  assert.deepEqual(request.options.pythonPathEntries, [path.join(projects, 'src'), '/abs']);
  assert.equal(request.options.envFile, path.join(projects, 'srclayout', 'pyproject.toml'));
  assert.throws(
    () => parseCommandLine(['profile', 'flat/flatpkg/core.py:work', '--env-file', 'missing.env'], projects),
    (error: unknown) =>
      error instanceof UsageError && error.message === '--env-file missing.env: no such file',
  );
});
