// Scenario 4: "Profile Parallel Speedup" from the command palette on a TypeScript sample gives a piscina report.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PROFILE_COMMAND_TITLE, QUICK_RUN_SETTINGS } from './extensionUi';
import { startProfile, waitForRunEnd } from './profileFlow';
import { frameText, reportFrame, tableRows } from './reportPage';
import { E2E_FIXTURES, openSession } from './session';
import { openFile, placeCursor, runCommand } from './workbench';

void test(
  '4. the command palette profiles a TypeScript function on piscina',
  { timeout: 300_000 },
  async () => {
    const session = await openSession({
      name: 'typescript',
      fixtures: [`${E2E_FIXTURES}/typescript`],
      trusted: true,
      settings: QUICK_RUN_SETTINGS,
    });
    const { page } = session;
    try {
      const progress = await session.step('start', async () => {
        await openFile(page, 'napTs.ts');
        await placeCursor(page, 'Atomics.wait');
        return startProfile(page, () => runCommand(page, PROFILE_COMMAND_TITLE));
      });
      await session.step('run', () => waitForRunEnd(page, progress));
      const frame = await session.step('report', () => reportFrame(page));
      const rows = await tableRows(frame);
      const piscina = rows.filter((row) => /piscina/i.test(row.run));
      assert.ok(
        piscina.some((row) => row.workers === 2),
        `no piscina row with k = 2; rows: ${JSON.stringify(rows)}\n${await frameText(frame)}`,
      );
      assert.match(await frameText(frame), /napTs/);
      await session.screenshot('4-piscina-report');
    } finally {
      await session.close();
    }
  },
);
