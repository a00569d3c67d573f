// The code enums of protocol/codes.ts: every code the Python harness can send is declared (read from its source
// by Python's own parser), and the schemas refuse codes and stop reasons nobody declared.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { test } from 'node:test';
import { ErrorCode, HarnessErrorCode, StopReason } from '../../protocol/codes';
import { HarnessMessage } from '../../protocol/harness';
import { parseReport } from '../../protocol/report';
import { twoBackendReport } from '../fixtures/reports/synthetic';

const harnessPackage = path.resolve(__dirname, '..', '..', 'runner', 'harness', 'python', 'amdahl_harness');

// The codes the harness writes: the first argument (or code=) of HarnessError(...) and InitFailure(...), and the
// value of every "code" key in a dict literal; a conditional expression gives both its branches. A code taken
// from another object (answer.code) was declared where that object was made.
const SCAN = `
import ast, json, pathlib, sys
def literals(node):
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, ast.IfExp):
        return literals(node.body) + literals(node.orelse)
    return []
codes = {}
for file in pathlib.Path(sys.argv[1]).rglob("*.py"):
    for node in ast.walk(ast.parse(file.read_text(), str(file))):
        found = []
        if isinstance(node, ast.Call) and getattr(node.func, "id", getattr(node.func, "attr", None)) in ("HarnessError", "InitFailure"):
            found = [a for a in node.args[:1]] + [k.value for k in node.keywords if k.arg == "code"]
        elif isinstance(node, ast.Dict):
            found = [v for k, v in zip(node.keys, node.values) if isinstance(k, ast.Constant) and k.value == "code"]
        for expr in found:
            for code in literals(expr):
                codes.setdefault(code, "%s:%d" % (file.name, node.lineno))
print(json.dumps(codes))
`;

void test('every error code in the Python harness source is a declared harness error code', () => {
  const codes = JSON.parse(
    execFileSync('python3', ['-c', SCAN, harnessPackage], { encoding: 'utf8', timeout: 30_000 }),
  ) as Record<string, string>;
  // The scan finds the codes it is meant to find (a scan that finds nothing would pass anything).
  for (const code of ['import-failed', 'task-raised', 'worker-died', 'not-serializable', 'internal']) {
    assert.ok(code in codes, `the scan finds ${code}`);
  }
  const undeclared = Object.entries(codes).filter(([code]) => !HarnessErrorCode.safeParse(code).success);
  assert.deepEqual(undeclared, [], 'codes the harness sends that protocol/codes.ts does not declare');
});

void test('a harness error answer with an undeclared code is refused by the harness protocol', () => {
  const answer = { type: 'error', op: 'load', code: 'import-failed', message: 'x', recoverable: false };
  assert.ok(HarnessMessage.safeParse(answer).success);
  assert.ok(!HarnessMessage.safeParse({ ...answer, code: 'import-faild' }).success);
});

void test('a report with an undeclared code or stop reason is not valid; declared ones are', () => {
  const report = twoBackendReport();
  assert.ok(parseReport(report).ok);
  const badError = parseReport({ ...report, errors: [{ code: 'oops', message: 'x' }] });
  assert.ok(!badError.ok && /errors\.0\.code/.test(badError.error), JSON.stringify(badError));
  const run = { ...report.runs[0]!, stopReason: 'bored' };
  const badStop = parseReport({ ...report, runs: [run] });
  assert.ok(!badStop.ok && /runs\.0\.stopReason/.test(badStop.error), JSON.stringify(badStop));
  for (const stopReason of StopReason.options)
    assert.ok(parseReport({ ...report, runs: [{ ...run, stopReason }] }).ok);
  for (const code of ErrorCode.options)
    assert.ok(parseReport({ ...report, errors: [{ code, message: 'x' }] }).ok);
});
