// The extension's entry: activate builds the context, registers, and starts the runner without waiting for it.
// The context module (language client, commands) is loaded here on activation only, so loading stays cheap.
import * as vscode from 'vscode';
import type { AmdahlContext } from './context';

let context: AmdahlContext | undefined;

export function activate(extension: vscode.ExtensionContext): void {
  try {
    // A plain require: the bundle keeps context.js apart (esbuild.mjs), and require lets VS Code supply `vscode` to it.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { AmdahlContext } = require('./context.js') as typeof import('./context.js');
    const started = new AmdahlContext(extension);
    context = started;
    // The lenses appear once the runner answers; activation itself does not wait for it.
    started.start().catch((error: unknown) => {
      started.log.error(`the runner did not start: ${String(error)}`);
      void vscode.window.showErrorMessage(`Amdahl: the runner did not start: ${String(error)}`);
    });
  } catch (error) {
    // VS Code shows nothing when activation fails, so say it, then let VS Code record it.
    void vscode.window.showErrorMessage(`Amdahl failed to activate: ${String(error)}`);
    throw error;
  }
}

export async function deactivate(): Promise<void> {
  await context?.dispose();
  context = undefined;
}
