// Real projects from the lens: a workspace holding several nested projects (none at its root). A src-layout
// package's function, whose relative imports and data file work only when it is imported as mypkg.processing,
// profiles from its lens; a test-style module whose package only amdahl.pythonPathEntries puts on the import
// path profiles too, the setting's ${workspaceFolder} expanded to the workspace.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PROFILE_LENS, QUICK_RUN_SETTINGS, RESULT_LENS } from './extensionUi';
import { startProfile, waitForRunEnd } from './profileFlow';
import { frameText, reportFrame, tableRows } from './reportPage';
import { openSession, type Session } from './session';
import { notificationTexts, openFile, runCommand, waitForLensAbove } from './workbench';

async function profileFromLens(session: Session, file: string, definition: string): Promise<void> {
  const { page } = session;
  const progress = await session.step(`start-${file}`, async () => {
    // The previous target's report would answer for this one: close it first.
    await runCommand(page, 'View: Close All Editors');
    await openFile(page, file);
    const lens = await waitForLensAbove(page, definition, PROFILE_LENS);
    return startProfile(page, () => lens.click());
  });
  await session.step(`run-${file}`, () => waitForRunEnd(page, progress));
  const frame = await session.step(`report-${file}`, () => reportFrame(page));
  const rows = await tableRows(frame);
  const workers = new Set(rows.filter((row) => !/serial/i.test(row.run)).map((row) => row.workers));
  const shown = await notificationTexts(page);
  const text = await frameText(frame);
  assert.doesNotMatch(text, /import-failed|No module named/, `the import failed for ${file}:\n${text}`);
  assert.ok(
    workers.has(1) && workers.has(2),
    `no k = 1 and 2 rows for ${file}; rows: ${JSON.stringify(rows)}; notifications: ${JSON.stringify(shown)}\n${text}`,
  );
  await waitForLensAbove(page, definition, RESULT_LENS, 60_000);
}

void test(
  'nested projects: each target is imported as its project imports it',
  { timeout: 600_000 },
  async (t) => {
    const session = await openSession({
      name: 'projects',
      fixtures: ['test/fixtures/projects'],
      trusted: true,
      settings: {
        ...QUICK_RUN_SETTINGS,
        'amdahl.pythonPathEntries': ['${workspaceFolder}/misconfigured/src'],
      },
    });
    try {
      await t.test('a src-layout package with relative imports profiles from its lens', async () => {
        await profileFromLens(session, 'processing.py', 'def crunch(');
        await session.screenshot('projects-srclayout');
      });
      await t.test('amdahl.pythonPathEntries puts a folder on the import path', async () => {
        await profileFromLens(session, 'bench_lost.py', 'def run(');
        await session.screenshot('projects-setting');
      });
    } finally {
      await session.close();
    }
  },
);
