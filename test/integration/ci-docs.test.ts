// docs/ci.md runs as written: the baseline command, then every shell step of the GitHub Actions workflow in a fresh
// project (bash -eo pipefail, as Actions runs `run:`), with Amdahl installed from this checkout where the workflow
// installs it from npm. Then the same steps catch a function made twice as slow (exit 3), the GitLab job runs the
// same commands, and `amdahl report` renders the stored JSON.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import yaml from 'js-yaml';
import { repoRoot } from './cliRunner';

const document = readFileSync(path.join(repoRoot, 'docs', 'ci.md'), 'utf8');
const blocks = (language: string): string[] =>
  [...document.matchAll(new RegExp('```' + language + '\\n([\\s\\S]*?)```', 'g'))].map((m) => m[1]!);

interface Step {
  name?: string;
  run?: string;
  uses?: string;
  if?: string;
  with?: { path?: string };
}
const [githubText, gitlabText] = blocks('yaml');
const workflow = yaml.load(githubText!) as { jobs: Record<string, { steps: Step[] }> };
const steps = Object.values(workflow.jobs)[0]!.steps;
const gitlab = Object.values(
  yaml.load(gitlabText!) as Record<string, { script: string[]; artifacts: { paths: string[] } }>,
)[0]!;
const [baselineCommand] = blocks('sh');
const reportCommand = blocks('sh').at(-1)!;
const INSTALL = 'npm install --no-save amdahl';

const project = mkdtempSync(path.join(os.tmpdir(), 'amdahl-ci-'));
after(() => rmSync(project, { recursive: true, force: true }));

function writeFunction(napSeconds: number): void {
  mkdirSync(path.join(project, 'bench'), { recursive: true });
  writeFileSync(
    path.join(project, 'bench', 'work.py'),
    `import time\n\n\ndef crunch(i):\n    time.sleep(${napSeconds})\n    return i\n`,
  );
}

/** What `npm install --no-save amdahl` leaves: node_modules/amdahl and its bin, here from this checkout. */
function installFromCheckout(): void {
  mkdirSync(path.join(project, 'node_modules', '.bin'), { recursive: true });
  symlinkSync(repoRoot, path.join(project, 'node_modules', 'amdahl'));
  symlinkSync('../amdahl/bin/amdahl.js', path.join(project, 'node_modules', '.bin', 'amdahl'));
}

function shell(script: string, env: NodeJS.ProcessEnv = {}): { code: number | null; output: string } {
  const result = spawnSync('bash', ['--noprofile', '--norc', '-eo', 'pipefail', '-c', script], {
    cwd: project,
    encoding: 'utf8',
    timeout: 240_000,
    env: { ...process.env, ...env },
  });
  return { code: result.status, output: `${result.stdout}${result.stderr}` };
}

/** Runs the workflow's `run:` steps in order as Actions does: after a failure only `if: always()` steps run. */
function runWorkflow(summary: string): { name: string; code: number | null; output: string }[] {
  const results: { name: string; code: number | null; output: string }[] = [];
  let failed = false;
  for (const step of steps) {
    if (step.run === undefined || step.run.trim() === INSTALL) continue;
    if (failed && step.if !== 'always()') continue;
    const result = shell(step.run, { GITHUB_STEP_SUMMARY: summary, CI: 'true' });
    results.push({ name: step.name ?? step.run, ...result });
    if (result.code !== 0) failed = true;
  }
  return results;
}

void test('the workflow installs Amdahl, profiles, asserts, compares and uploads the page', () => {
  assert.ok(
    steps.some((step) => step.run?.trim() === INSTALL),
    'the install step is the one replaced here',
  );
  writeFunction(0.05);
  installFromCheckout();
  const baseline = shell(baselineCommand!);
  assert.equal(baseline.code, 0, baseline.output);
  assert.ok(existsSync(path.join(project, 'perf', 'amdahl-baseline.json')));

  const summary = path.join(project, 'summary.md');
  const results = runWorkflow(summary);
  assert.equal(results.length, 3, results.map((r) => r.name).join(', '));
  for (const result of results) assert.equal(result.code, 0, `${result.name}: ${result.output}`);
  const written = readFileSync(summary, 'utf8');
  assert.match(written, /## Amdahl: crunch/);
  assert.match(written, /### Assertions: all passed/);
  assert.match(written, /## Amdahl: comparison/);
  // The same function on the same machine: within the 10% gate (a busy machine may still make a point a few
  // percent slower or faster at 95%, which is what the gate's margin is for).
  assert.match(written, /✅ No point is slower by more than 10% at 95% confidence/);
  const upload = steps.find((step) => step.uses?.startsWith('actions/upload-artifact'));
  const uploaded = upload!.with!.path!.split('\n').filter((line) => line.trim() !== '');
  assert.ok(uploaded.includes('compare.html') && uploaded.includes('amdahl.html'));
  for (const file of uploaded) assert.ok(existsSync(path.join(project, file.trim())), file);

  // Tasks twice as long: the assertion still holds (the speedup is the same), the comparison fails the job.
  writeFunction(0.1);
  const slower = runWorkflow(path.join(project, 'summary-slower.md'));
  assert.deepEqual(
    slower.map((r) => [r.name, r.code]),
    [
      ['Profile and assert', 0],
      ['Compare with the baseline', 3],
      ['Job summary', 0],
    ],
  );
  assert.match(readFileSync(path.join(project, 'summary-slower.md'), 'utf8'), /❌ Regression/);
  writeFunction(0.05);

  const stored = shell(reportCommand);
  assert.equal(stored.code, 0, stored.output);
});

void test('the GitLab job runs the same commands as the workflow and keeps the same files', () => {
  const joined = (text: string): string =>
    text
      .replace(/\\\n\s*/g, '')
      .replace(/\s+/g, ' ')
      .trim();
  const workflowCommands = steps
    .filter((step) => step.run !== undefined && !step.run.includes('GITHUB_STEP_SUMMARY'))
    .map((step) => joined(step.run!));
  assert.deepEqual(gitlab.script.map(joined), workflowCommands);
  const upload = steps.find((step) => step.uses?.startsWith('actions/upload-artifact'));
  for (const file of upload!.with!.path!.split('\n').filter((line) => line.trim() !== '')) {
    assert.ok(gitlab.artifacts.paths.includes(file.trim()), file);
  }
});
