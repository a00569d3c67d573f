// The report panel's page content: what a page that loads late is replayed, and which run's live points it takes.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PageContent } from '../../extension/pageContent';
import type { Environment } from '../../protocol/report';
import { twoBackendReport } from '../fixtures/reports/synthetic';

const report = twoBackendReport();
const environment: Environment = report.environment;
const run = report.runs[1]!;
const [first, second] = run.points;

void test("a page that loads during a run is replayed the run's start and every point so far, in order", () => {
  const content = new PageContent();
  const start = content.startRun('run-1', 'work', environment);
  const one = content.addPoint('run-1', run, first!);
  const two = content.addPoint('run-1', run, second!);
  assert.deepEqual(start, { type: 'live', function: 'work', environment });
  assert.deepEqual(one, { type: 'partial', run, point: first });
  assert.deepEqual(content.replay(), [start, one, two]);
});

void test('a point of an earlier run is dropped once a later run has started on the page', () => {
  const content = new PageContent();
  content.startRun('old', 'work', environment);
  content.addPoint('old', run, first!);
  const start = content.startRun('new', 'other', environment);
  assert.equal(content.addPoint('old', run, second!), undefined);
  assert.deepEqual(content.replay(), [start]);
});

void test('the final report replaces the live points, and points arriving after it are dropped', () => {
  const content = new PageContent();
  content.startRun('run-1', 'work', environment);
  content.addPoint('run-1', run, first!);
  const final = content.showReport(report);
  assert.equal(content.addPoint('run-1', run, second!), undefined);
  assert.deepEqual(content.replay(), [final]);
  assert.deepEqual(final, { type: 'report', report });
});

void test('no point is kept before a run has started on the page', () => {
  const content = new PageContent();
  assert.equal(content.addPoint('run-1', run, first!), undefined);
  assert.deepEqual(content.replay(), []);
});

void test('a report in a file is sent as its URL, and replaces the live points as a report does', () => {
  const content = new PageContent();
  content.startRun('run-1', 'work', environment);
  content.addPoint('run-1', run, first!);
  const final = content.showReportFile('https://file.vscode-resource/reports/a.report.json');
  assert.equal(content.addPoint('run-1', run, second!), undefined);
  assert.deepEqual(content.replay(), [final]);
  assert.deepEqual(final, { type: 'reportFile', url: 'https://file.vscode-resource/reports/a.report.json' });
});
