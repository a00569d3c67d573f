// What a user does in the VS Code workbench, as Playwright steps: open a file, run a command, click a lens, read a webview.
import type { Frame, Locator, Page } from 'playwright-core';

/** A notebook's code cells drawn in the notebook editor: openFile's `ready` for an .ipynb file. */
export const NOTEBOOK_READY = '.notebook-editor .cell-editor-container .view-lines';

/** Opens a file by name from quick open; `ready` is what shows that its editor has drawn it. */
export async function openFile(
  page: Page,
  fileName: string,
  ready = '.editor-instance .monaco-editor .view-lines',
): Promise<void> {
  await page.locator('.monaco-workbench').click({ position: { x: 700, y: 5 } });
  await page.keyboard.press('Control+P');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible' });
  await input.fill(fileName);
  // Quick open searches the workspace; wait until the file is listed before accepting it.
  await page
    .locator('.quick-input-list .monaco-list-row', { hasText: fileName })
    .first()
    .waitFor({ timeout: 30_000 });
  await page.keyboard.press('Enter');
  await page.locator('.tab.active', { hasText: fileName }).first().waitFor({ timeout: 30_000 });
  await page.locator(ready).first().waitFor({ timeout: 60_000 });
}

/** Runs a command by its title from the command palette, as a user would. */
export async function runCommand(page: Page, title: string): Promise<void> {
  await openPaletteAt(page, title);
  await page.keyboard.press('Enter');
  // Until the palette has closed, a further Enter would go to it (or, as it closes, into the editor). The
  // command may open its own prompt in the same widget at once, so "closed" is: hidden, or no longer the palette.
  await page.waitForFunction(
    () => {
      const widget = document.querySelector<HTMLElement>('.quick-input-widget');
      if (
        !widget ||
        widget.offsetParent === null ||
        widget.classList.contains('quick-input-widget-closing')
      ) {
        return true;
      }
      const value = widget.querySelector('input')?.value ?? '';
      return !value.startsWith('>');
    },
    undefined,
    { timeout: 10_000 },
  );
}

/**
 * Opens the command palette and types a command's title until its row is listed. A panel that takes focus as it
 * opens (a run's report, revealed as the run ends) closes the palette under the typing, as it would under a
 * user, who opens it again: so do we, twice at most.
 */
async function openPaletteAt(page: Page, title: string): Promise<void> {
  const input = page.locator('.quick-input-widget input');
  for (let attempt = 1; ; attempt++) {
    try {
      await page.keyboard.press('F1');
      await input.waitFor({ state: 'visible', timeout: 10_000 });
      await input.fill(`>${title}`, { timeout: 10_000 });
      await page
        .locator('.quick-input-list .monaco-list-row', { hasText: title })
        .first()
        .waitFor({ timeout: 30_000 });
      return;
    } catch (error) {
      if (attempt === 3) throw error;
      await page.keyboard.press('Escape');
    }
  }
}

export function codeLenses(page: Page): Locator {
  return page.locator('.codelens-decoration a');
}

/** The lens whose text matches, e.g. /Profile Parallel Speedup/; waits until the language server has sent it. */
export async function waitForLens(page: Page, text: RegExp | string, timeout = 90_000): Promise<Locator> {
  const lens = codeLenses(page).filter({ hasText: text }).first();
  await lens.waitFor({ state: 'visible', timeout });
  return lens;
}

export function quickInput(page: Page): Locator {
  return page.locator('.quick-input-widget');
}

export function notificationToasts(page: Page): Locator {
  return page.locator('.notifications-toasts .notification-toast');
}

/** The toast whose message matches; VS Code shows withProgress({ location: Notification }) as one of these. */
export function notification(page: Page, text: RegExp | string): Locator {
  return notificationToasts(page).filter({ hasText: text }).first();
}

/** Text of every notification in the center, toasts and those already collapsed into it. */
export async function notificationTexts(page: Page): Promise<string[]> {
  return page
    .locator('.notifications-toasts .notification-list-item, .notifications-center .notification-list-item')
    .allInnerTexts();
}

/**
 * The frame of a webview's own document that holds `selector`. VS Code nests each webview as an outer iframe
 * (its host page) around the document the extension wrote, so look through every frame.
 */
export async function webviewFrame(page: Page, selector: string, timeout = 120_000): Promise<Frame> {
  const deadline = Date.now() + timeout;
  while (Date.now() < deadline) {
    for (const frame of page.frames()) {
      if (frame === page.mainFrame()) continue;
      const count = await frame
        .locator(selector)
        .count()
        .catch(() => 0);
      if (count > 0) return frame;
    }
    await page.waitForTimeout(500);
  }
  throw new Error(`no webview frame holds ${selector} after ${timeout / 1000} s`);
}

/** Every webview document's text, for failure messages and for finding a report by its content. */
export async function webviewTexts(page: Page): Promise<string[]> {
  const texts: string[] = [];
  for (const frame of page.frames()) {
    if (frame === page.mainFrame()) continue;
    const text = await frame.evaluate(() => document.body?.innerText ?? '').catch(() => '');
    if (text.trim()) texts.push(text);
  }
  return texts;
}

/** A line of a text editor: a file's, or a notebook cell's in the notebook editor. */
const EDITOR_LINE = '.editor-instance .view-line, .notebook-editor .view-line';

/**
 * The lenses drawn right above the editor line that contains `lineText` (e.g. "def nap("): lenses live in view
 * zones, so match them to the line by position. A line can carry several ("Profile ... | 1.9x on 2 workers").
 */
export async function lensesAbove(page: Page, lineText: string): Promise<Locator[]> {
  const line = page.locator(EDITOR_LINE, { hasText: lineText }).first();
  const lineBox = await line.boundingBox();
  if (!lineBox) return [];
  const decorations = page.locator('.codelens-decoration');
  const count = await decorations.count();
  for (let i = 0; i < count; i += 1) {
    const decoration = decorations.nth(i);
    const box = await decoration.boundingBox();
    if (!box) continue;
    const bottom = box.y + box.height;
    if (bottom <= lineBox.y + 2 && bottom >= lineBox.y - lineBox.height) return decoration.locator('a').all();
  }
  return [];
}

/** Waits until a lens over the line has text that matches, and returns it. */
export async function waitForLensAbove(
  page: Page,
  lineText: string,
  text: RegExp,
  timeout = 90_000,
): Promise<Locator> {
  const deadline = Date.now() + timeout;
  let seen: string[] = [];
  while (Date.now() < deadline) {
    const lenses = await lensesAbove(page, lineText);
    seen = await Promise.all(lenses.map((lens) => lens.innerText().catch(() => '')));
    const index = seen.findIndex((title) => text.test(title));
    const match = lenses[index];
    if (match) return match;
    await page.waitForTimeout(300);
  }
  throw new Error(
    `no lens matching ${text} above "${lineText}" after ${timeout / 1000} s; last seen: ${JSON.stringify(seen)}`,
  );
}

/** Puts the cursor on the first editor line that contains lineText, as a user clicking into a function. */
export async function placeCursor(page: Page, lineText: string): Promise<void> {
  await page.locator(EDITOR_LINE, { hasText: lineText }).first().click();
}
