// The backends and languages tables of protocol/ against every list that cannot import them: the manifest, the
// README's option line, the CLI help, and the Python harness (asked, not read).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import {
  BACKENDS,
  BackendName,
  defaultBackends,
  OFFERED_BACKENDS,
  offeredBackends,
  START_METHODS,
} from '../../protocol/backends';
import { Language, LANGUAGE_IDS, LANGUAGES } from '../../protocol/languages';
import { USAGE } from '../../runner/cli/args';

const root = path.resolve(__dirname, '..', '..');
const harnessDir = path.join(root, 'runner', 'harness', 'python');

interface Manifest {
  activationEvents: string[];
  contributes: {
    menus: { commandPalette: { command: string; when: string }[] };
    configuration: { properties: Record<string, { enum?: string[]; items?: { enum?: string[] } }> };
  };
}
const manifest = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as Manifest;
const settings = manifest.contributes.configuration.properties;

/** "a, b or c" and "a, b" both as a list. */
function listOf(text: string): string[] {
  return text
    .split(/,| or /)
    .map((part) => part.trim())
    .filter((part) => part !== '');
}

void test('the amdahl.backends setting offers exactly the offered backends, in order', () => {
  assert.deepEqual(settings['amdahl.backends']?.items?.enum, [...OFFERED_BACKENDS]);
  assert.ok(!OFFERED_BACKENDS.includes('serial'), 'serial is always measured, never chosen');
});

void test('the amdahl.startMethod setting offers the start methods (or empty for the default)', () => {
  assert.deepEqual(settings['amdahl.startMethod']?.enum, ['', ...START_METHODS]);
});

void test('the manifest activates on, and offers the command in, every language id of the languages table', () => {
  const activation = manifest.activationEvents
    .filter((event) => event.startsWith('onLanguage:'))
    .map((event) => event.slice('onLanguage:'.length));
  assert.deepEqual(activation.sort(), [...LANGUAGE_IDS].sort());
  const when = manifest.contributes.menus.commandPalette.find(
    (item) => item.command === 'amdahl.profile',
  )?.when;
  // In a notebook's editor editorLangId is not set: the notebook type offers it there.
  const match = /^editorLangId =~ \/\^\(([^)]*)\)\$\/ \|\| notebookType == jupyter-notebook$/.exec(
    when ?? '',
  );
  assert.deepEqual(
    match?.[1]?.split('|').sort(),
    [...LANGUAGE_IDS].sort(),
    `amdahl.profile's when clause: ${when}`,
  );
  assert.ok(manifest.activationEvents.includes('onNotebook:jupyter-notebook'));
});

void test("the README's --backends line lists the table's backends per language", () => {
  const readme = readFileSync(path.join(root, 'README.md'), 'utf8');
  const line = readme.split('\n').find((l) => /^\s*--backends\b/.test(l));
  assert.ok(line, 'README.md has a --backends line');
  const match = /--backends <list>\s+(.*) \(Python\);\s*(.*) \(JS\/TS\)/.exec(line);
  assert.ok(match, `README's --backends line names the Python and the JS/TS backends: ${line}`);
  assert.deepEqual(listOf(match[1]!), offeredBackends('python'));
  assert.deepEqual(listOf(match[2]!), offeredBackends('javascript'));
});

void test('the CLI help lists the table: backends per language, their defaults, start methods, default inputs', () => {
  const help = USAGE.replace(/\s+/g, ' ');
  const match =
    /--backends <list> (.*) \(Python\); (.*) \(JS\/TS\);[^(]*\(default: ([^)]*) \/ ([^)]*)\)/.exec(help);
  assert.ok(match, help);
  assert.deepEqual(listOf(match[1]!), offeredBackends('python'));
  assert.deepEqual(listOf(match[2]!), offeredBackends('typescript'));
  assert.deepEqual(listOf(match[3]!), defaultBackends('python'));
  assert.deepEqual(listOf(match[4]!), defaultBackends('javascript'));
  assert.match(help, new RegExp(`--start-method <list> ${START_METHODS.join(', ')};`));
  assert.ok(help.includes(`default: ${LANGUAGES.python.defaultInputs} in Python`));
  assert.ok(help.includes(`${LANGUAGES.javascript.defaultInputs} in JS/TS`));
});

/** Runs a Python snippet with the harness importable; prints JSON. */
function askPython(code: string): unknown {
  const out = execFileSync('python3', ['-c', code], { cwd: harnessDir, encoding: 'utf8', timeout: 30_000 });
  return JSON.parse(out) as unknown;
}

void test("the Python harness's registry has exactly the table's Python backends", () => {
  const registry = askPython(
    'import json\nfrom amdahl_harness.backends import REGISTRY\nprint(json.dumps(list(REGISTRY)))',
  ) as string[];
  const python = BackendName.options.filter((name) => BACKENDS[name].languages.some((l) => l === 'python'));
  assert.deepEqual(registry, python);
});

void test('each Python engine, its package missing, asks for the package the table names', () => {
  const packages: Record<string, string | null> = Object.fromEntries(
    BackendName.options.flatMap((name) =>
      BACKENDS[name].languages.some((l) => l === 'python') ? [[name, BACKENDS[name].package]] : [],
    ),
  );
  const blocked = Object.values(packages).filter((p): p is string => p !== null);
  // Every package the table names is made unimportable; the harness then says what to install for each engine.
  const { available, missing } = askPython(
    [
      'import builtins, json',
      `blocked = set(${JSON.stringify(blocked)})`,
      'real = builtins.__import__',
      'def guarded(name, *args, **kwargs):',
      '    if name.split(".")[0] in blocked: raise ImportError("No module named %r" % name)',
      '    return real(name, *args, **kwargs)',
      'builtins.__import__ = guarded',
      'from amdahl_harness.backends import availability',
      'available, missing = availability()',
      'print(json.dumps({"available": available, "missing": missing}))',
    ].join('\n'),
  ) as { available: string[]; missing: Record<string, string> };
  for (const [name, pkg] of Object.entries(packages)) {
    if (pkg === null) assert.ok(available.includes(name), `${name} needs no package`);
    else assert.match(missing[name] ?? '', new RegExp(`pip install ${pkg}\\b`), name);
  }
});

void test('the Python harness defaults to the inputs of the languages table', () => {
  const inputs = askPython(
    'import json\nfrom amdahl_harness.target import DEFAULT_INPUTS\nprint(json.dumps(DEFAULT_INPUTS))',
  );
  assert.equal(inputs, LANGUAGES.python.defaultInputs);
});

void test('every language has a default backend, and every backend runs on some language', () => {
  for (const language of Language.options) assert.ok(defaultBackends(language).length > 0, language);
  for (const name of BackendName.options) assert.ok(BACKENDS[name].languages.length > 0, name);
});
