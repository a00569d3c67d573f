// "Amdahl: Compare Reports..." in a real VS Code (code-server): two reports made by the CLI from sleep tasks of
// 50 ms and of 100 ms, picked from disk through the command's quick pick and VS Code's open dialog; the report
// panel then shows the newer report over the older with a verdict per matched point, every one "slower".
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import type { Page } from 'playwright-core';
import { REPO_ROOT } from './provision';
import { openSession } from './session';
import { openFile, quickInput, runCommand, webviewFrame } from './workbench';

/** Profiles sleepy.py:nap with naps of `seconds` into `json`, as the CLI does in CI. */
function profileNap(folder: string, seconds: number, json: string): void {
  mkdirSync(folder, { recursive: true });
  const source = readFileSync(path.join(REPO_ROOT, 'samples', 'sleep', 'sleepy.py'), 'utf8');
  writeFileSync(
    path.join(folder, 'sleepy.py'),
    source.replace('NAP_SECONDS = 0.05', `NAP_SECONDS = ${seconds}`),
  );
  const result = spawnSync(
    process.execPath,
    [
      path.join(REPO_ROOT, 'bin', 'amdahl.js'),
      'profile',
      `${path.join(folder, 'sleepy.py')}:nap`,
      ...['--backends', 'thread', '--workers', '1,2', '--repeat', '5', '--no-progress', '--json', json],
    ],
    { encoding: 'utf8', timeout: 120_000 },
  );
  assert.equal(result.status, 0, result.stderr);
}

/**
 * Picks "Open a report file..." in the command's quick pick (titled `title`), then types the file's path into the
 * open dialog and accepts it once the dialog lists the file.
 */
async function pickFromDisk(page: Page, title: string, file: string): Promise<void> {
  const widget = quickInput(page);
  const fromDisk = widget.locator('.monaco-list-row', { hasText: 'Open a report file...' }).first();
  await widget.locator('.quick-input-title', { hasText: title }).waitFor({ timeout: 30_000 });
  await fromDisk.waitFor({ timeout: 30_000 });
  await fromDisk.click();
  // code-server's open dialog is VS Code's simple file dialog: a quick input holding a folder, listing its files.
  await widget.locator('.monaco-list-row', { hasText: '..' }).first().waitFor({ timeout: 30_000 });
  // The dialog fills in its starting folder once it has listed it, which can overwrite a path typed before: type
  // until the path stays and the dialog lists the file.
  const input = widget.locator('input');
  const listed = widget.locator('.monaco-list-row', { hasText: path.basename(file) }).first();
  const deadline = Date.now() + 30_000;
  for (;;) {
    await input.fill(file);
    await page.waitForTimeout(700);
    if ((await input.inputValue()) === file && (await listed.isVisible())) break;
    if (Date.now() > deadline) throw new Error(`the open dialog did not take the path ${file}`);
  }
  await page.keyboard.press('Enter');
  // Accepted: the dialog (still titled `title`) has gone, and the next prompt or nothing is shown.
  await page.waitForFunction(
    (text) => {
      const widget = document.querySelector<HTMLElement>('.quick-input-widget');
      if (!widget || widget.offsetParent === null) return true;
      return !(widget.querySelector('.quick-input-title')?.textContent ?? '').includes(text);
    },
    title,
    { timeout: 30_000 },
  );
}

void test(
  'Compare Reports: two reports from disk, the overlay page with a verdict per point',
  { timeout: 480_000 },
  async () => {
    const scratch = mkdtempSync(path.join(tmpdir(), 'amdahl-e2e-compare-'));
    const session = await openSession({ name: 'compare', fixtures: ['samples/sleep'], trusted: true });
    const { page } = session;
    try {
      const fast = path.join(session.workspace, 'reports', 'fast.json');
      const slow = path.join(session.workspace, 'reports', 'slow.json');
      mkdirSync(path.dirname(fast), { recursive: true });
      profileNap(path.join(scratch, 'fast'), 0.05, fast);
      profileNap(path.join(scratch, 'slow'), 0.1, slow);
      // Opening a Python file starts the extension and its runner, as a user's session would have.
      await session.step('open', () => openFile(page, 'sleepy.py'));
      await session.step('command', () => runCommand(page, 'Amdahl: Compare Reports...'));
      await session.step('first', () => pickFromDisk(page, '(1 of 2)', slow));
      await session.screenshot('first-picked');
      await session.step('second', () => pickFromDisk(page, '(2 of 2)', fast));
      const frame = await session.step('verdicts', () => webviewFrame(page, '#verdicts tbody tr', 120_000));
      const rows = await frame.$$eval('#verdicts tbody tr', (trs) =>
        trs.map((tr) => ({
          verdict: (tr as HTMLElement).dataset.verdict,
          cells: Array.from(tr.children).map((cell) => cell.textContent ?? ''),
        })),
      );
      assert.deepEqual(
        rows.map((row) => [row.cells[1], row.cells[3], row.verdict]),
        [
          ['serial', '1', 'slower'],
          ['thread', '1', 'slower'],
          ['thread', '2', 'slower'],
        ],
      );
      for (const row of rows) {
        const ratio = Number(row.cells[6]!.split(' ')[0]);
        assert.ok(Math.abs(ratio - 2) / 2 < 0.05, `ratio ${row.cells[6]}`);
      }
      // The older report (50 ms) is the baseline whichever was picked first; the page says it overlays it.
      const header = (await frame.textContent('header.top')) ?? '';
      assert.match(header, /compared with the report of/);
      assert.match((await frame.textContent('.verdicts')) ?? '', /3 slower, 0 faster, 0 no change/);
      await session.screenshot('verdicts');
    } finally {
      await session.close();
      rmSync(scratch, { recursive: true, force: true });
    }
  },
);
