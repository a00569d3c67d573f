// The prerequisite check that starts `npm test`: which requirements are missing, and whether it installs them
// (root with apt-get) or stops with the one command to run; the script itself on a machine that lacks them.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { main, onPath, plan, REQUIREMENTS, thisSystem, type Probe, type System } from '../prerequisites';

const root = path.resolve(__dirname, '..', '..');

/** A machine where the requirements of the named Debian packages are not met. */
function machine(lacking: string[], { isRoot = true, commands = ['apt-get', 'sudo'] } = {}): System {
  const unmet = new Set(
    REQUIREMENTS.filter((r) => lacking.includes(r.debianPackage)).map((r) => JSON.stringify(r.probe)),
  );
  return {
    met: (probe: Probe) => !unmet.has(JSON.stringify(probe)),
    isRoot,
    hasCommand: (name) => commands.includes(name),
  };
}

void test('everything present: ready, nothing to install', () => {
  assert.deepEqual(plan(['integration', 'e2e'], machine([])), { action: 'ready' });
});

void test('root with apt-get installs exactly what the asked suites lack', () => {
  const decided = plan(['integration', 'e2e'], machine(['pypy3', 'chromium', 'hyperfine']));
  assert.equal(decided.action, 'install');
  assert.ok(decided.action === 'install');
  // hyperfine serves the benchmarks only, so the tests do not install it.
  assert.deepEqual(decided.packages, ['pypy3', 'chromium']);
  const bench = plan(['bench'], machine(['pypy3', 'hyperfine']));
  assert.ok(bench.action === 'install');
  assert.deepEqual(bench.packages, ['hyperfine']);
});

void test('without root: the one sudo command, and which suites need each package', () => {
  const decided = plan(
    ['integration', 'e2e'],
    machine(['python3-distributed', 'libkrb5-dev'], { isRoot: false }),
  );
  assert.ok(decided.action === 'instruct');
  assert.match(
    decided.message,
    /\n {2}sudo sh -c 'apt-get update && apt-get install -y python3-distributed libkrb5-dev'$/,
  );
  assert.match(decided.message, /python3-distributed +Dask distributed .*\(integration, bench\)/);
  assert.match(decided.message, /libkrb5-dev +the Kerberos headers.*\(e2e\)/);
});

void test('without root or sudo: the command to run as root; without apt-get: the packages to find', () => {
  const noSudo = plan(['integration'], machine(['pypy3'], { isRoot: false, commands: ['apt-get'] }));
  assert.ok(noSudo.action === 'instruct');
  assert.match(noSudo.message, /as root.*\n {2}apt-get update && apt-get install -y pypy3$/);
  const noApt = plan(['integration'], machine(['pypy3'], { isRoot: true, commands: [] }));
  assert.ok(noApt.action === 'instruct');
  assert.match(noApt.message, /no apt-get/);
  assert.match(noApt.message, /pypy3 +pypy3 on PATH/);
});

void test('main installs with apt-get, checks again, and fails when apt-get did not help', () => {
  let installed = false;
  const calls: string[][] = [];
  const system: System = {
    met: (probe) => installed || !('command' in probe && probe.command === 'pypy3'),
    isRoot: true,
    hasCommand: () => true,
  };
  const code = main(['integration'], system, (args) => {
    calls.push(args);
    if (args[0] === 'install') installed = true;
  });
  assert.equal(code, 0);
  assert.deepEqual(calls, [
    ['update', '-qq'],
    ['install', '-y', '-qq', 'pypy3'],
  ]);
  const stillMissing = main(
    ['integration'],
    { ...system, met: (probe) => !('command' in probe && probe.command === 'pypy3') },
    () => {},
  );
  assert.equal(stillMissing, 1);
});

void test('the probes on this machine: commands on PATH and Python modules are found, absent ones are not', () => {
  assert.equal(onPath('node'), true);
  assert.equal(onPath('amdahl-no-such-command'), false);
  assert.equal(onPath('node', ''), false);
  assert.equal(thisSystem.met({ pythonModule: 'json', python: '/usr/bin/python3' }), true);
  assert.equal(thisSystem.met({ pythonModule: 'amdahl_no_such_module', python: '/usr/bin/python3' }), false);
  assert.equal(thisSystem.met({ anyFile: ['/nonexistent', process.execPath] }), true);
});

void test('the script on a PATH without python3, pypy3 or apt-get stops within seconds with what is missing', () => {
  const bin = mkdtempSync(path.join(os.tmpdir(), 'amdahl-prereq-'));
  try {
    symlinkSync(process.execPath, path.join(bin, 'node'));
    const started = Date.now();
    const run = spawnSync(process.execPath, ['--import', 'tsx', 'test/prerequisites.ts'], {
      cwd: root,
      env: { ...process.env, PATH: bin },
      encoding: 'utf8',
      timeout: 30_000,
    });
    const seconds = (Date.now() - started) / 1000;
    assert.equal(run.status, 1, run.stderr);
    assert.ok(seconds < 10, `took ${seconds} s`);
    assert.match(run.stderr, /python3 +python3 on PATH/);
    assert.match(run.stderr, /pypy3 +pypy3 on PATH.*\(integration\)/);
    assert.match(run.stderr, /no apt-get/);
    assert.doesNotMatch(run.stderr, /hyperfine/);
  } finally {
    rmSync(bin, { recursive: true, force: true });
  }
});
