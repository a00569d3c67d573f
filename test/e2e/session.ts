// One scenario's world: a fixture workspace, code-server with the packaged extension, Chromium on the workbench.
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { CHROMIUM_ARGS } from '../fixtures/reports/browser';
import { startCodeServer, type CodeServer } from './codeServer';
import { ARTIFACTS_DIR, E2E_DIR, REPO_ROOT, provision } from './provision';
import { installedExtension } from './vsix';
import { notificationTexts } from './workbench';

export interface SessionOptions {
  /** Names the artifacts: screenshots and the server log. */
  name: string;
  /** Folders whose contents make up the workspace, relative to the repository root (samples/seed, ...). */
  fixtures: string[];
  trusted: boolean;
  /** User settings for this scenario (amdahl.*). */
  settings?: Record<string, unknown>;
  /** An already installed extensions folder instead of the packaged .vsix (to check this harness itself). */
  extensionsDir?: string;
}

export interface Session {
  page: Page;
  workspace: string;
  server: CodeServer;
  /** Saves a full-page screenshot as .test-artifacts/e2e/<session>-<label>.png. */
  screenshot(label: string): Promise<string>;
  /** Runs a step; on failure saves a screenshot before the error propagates. */
  step<T>(label: string, body: () => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

export async function openSession(options: SessionOptions): Promise<Session> {
  const toolchain = provision();
  const extensionsDir = options.extensionsDir ?? installedExtension(toolchain).extensionsDir;
  const root = mkdtempSync(path.join(tmpdir(), `amdahl-e2e-${options.name}-`));
  const workspace = path.join(root, 'workspace');
  mkdirSync(workspace, { recursive: true });
  for (const fixture of options.fixtures)
    cpSync(path.resolve(REPO_ROOT, fixture), workspace, { recursive: true });
  const logFile = path.join(ARTIFACTS_DIR, `${options.name}-code-server.log`);
  writeFileSync(logFile, '');

  const cleanups: (() => Promise<void> | void)[] = [() => rmSync(root, { recursive: true, force: true })];
  const close = async (): Promise<void> => {
    // Last started, first stopped; every cleanup runs even if one fails.
    const errors: unknown[] = [];
    for (const cleanup of cleanups.splice(0).reverse()) {
      try {
        await cleanup();
      } catch (error) {
        errors.push(error);
      }
    }
    if (errors.length > 0) throw errors[0];
  };

  try {
    const server = await startCodeServer({
      toolchain,
      userDataDir: path.join(root, 'user-data'),
      extensionsDir,
      trusted: options.trusted,
      settings: options.settings ?? {},
      logFile,
    });
    cleanups.push(server.stop);
    const browser: Browser = await chromium.launch({
      executablePath: toolchain.chromium,
      args: CHROMIUM_ARGS,
      headless: true,
    });
    cleanups.push(() => browser.close());
    const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
    const page = await context.newPage();
    const screenshot = async (label: string): Promise<string> => {
      const file = path.join(ARTIFACTS_DIR, `${options.name}-${label}.png`);
      await page.screenshot({ path: file, fullPage: true, timeout: 15_000 });
      return file;
    };
    const step = async <T>(label: string, body: () => Promise<T>): Promise<T> => {
      try {
        return await body();
      } catch (error) {
        await screenshot(`${label}-failure`).catch(() => undefined);
        // What VS Code told the user (a failed lens request, an activation error) is usually the cause.
        const shown = await notificationTexts(page).catch(() => []);
        if (error instanceof Error && shown.length > 0) {
          error.message += `\nnotifications shown: ${JSON.stringify(shown)}`;
        }
        throw error;
      }
    };
    await step('workbench', async () => {
      await page.goto(`${server.url}/?folder=${encodeURIComponent(workspace)}`);
      await page.locator('.monaco-workbench').waitFor({ state: 'visible', timeout: 60_000 });
      // The explorer lists the workspace once the remote file system is connected.
      await page.locator('.explorer-folders-view .monaco-list-row').first().waitFor({ timeout: 60_000 });
    });
    return { page, workspace, server, screenshot, step, close };
  } catch (error) {
    await close().catch(() => undefined);
    throw error;
  }
}

/** Fixture folders of the e2e tests, for SessionOptions.fixtures. */
export const E2E_FIXTURES = path.relative(REPO_ROOT, path.join(E2E_DIR, 'fixtures'));
