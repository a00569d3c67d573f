// "Amdahl: Record Inputs...": asks for the command that calls the function (the last one and the launch
// configurations offered), runs `amdahl record` in a terminal the user sees, then offers to profile over the calls.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { FunctionsRequest, ResultsNotification } from '../protocol/lsp';
import { recordingOf } from '../protocol/recording';
import { chooseFunction, trustedDocument } from './profileCommand';

export interface RecordCommandContext {
  client: LanguageClient;
  state: vscode.Memento;
  extensionUri: vscode.Uri;
}

export async function recordCommand(
  context: RecordCommandContext,
  uriArg?: string,
  nameArg?: string,
): Promise<void> {
  const document = await trustedDocument(uriArg);
  if (!document) return;
  if (document.isUntitled) {
    void vscode.window.showErrorMessage(
      'Amdahl: save the file first; the recorded command imports the saved file.',
    );
    return;
  }
  const { language, functions } = await context.client.sendRequest(FunctionsRequest, {
    uri: document.uri.toString(),
  });
  if (language !== 'python') {
    void vscode.window.showErrorMessage('Amdahl records the inputs of Python functions.');
    return;
  }
  const fn = nameArg ? { name: nameArg } : await chooseFunction(document, functions);
  if (!fn) return;
  const folder =
    vscode.workspace.getWorkspaceFolder(document.uri)?.uri.fsPath ?? path.dirname(document.uri.fsPath);
  const stateKey = `record:${document.uri.toString()}#${fn.name}`;
  const command = await askCommand(context.state.get<string>(stateKey), fn.name, document.uri);
  if (command === undefined) return;
  await context.state.update(stateKey, command);

  const file = document.uri.fsPath;
  const code = await runInTerminal(context.extensionUri, folder, [
    'record',
    `${file}:${fn.name}`,
    '--',
    ...shellCommand(command),
  ]);
  const recording = code === 0 ? recordingOf(file, fn.name, folder) : null;
  // The server's lenses offer a recording first: ask for them again now that there is one.
  if (recording) await context.client.sendNotification(ResultsNotification, { results: [] });
  if (!recording) {
    void vscode.window.showErrorMessage(
      `Amdahl: nothing was recorded for ${fn.name}; the terminal "Amdahl: Record Inputs" says why.`,
    );
    return;
  }
  const profile = 'Profile';
  const answer = await vscode.window.showInformationMessage(
    `Amdahl: recorded ${recording.calls} call(s) of ${fn.name} into ${path.relative(folder, recording.recording)}.`,
    profile,
  );
  if (answer === profile)
    await vscode.commands.executeCommand('amdahl.profile', document.uri.toString(), fn.name);
}

/** The command to record: the last one and each launch configuration offered, then edited or typed. */
async function askCommand(
  last: string | undefined,
  fn: string,
  uri: vscode.Uri,
): Promise<string | undefined> {
  const offered = [...new Set([...(last ? [last] : []), ...launchCommands(uri)])];
  let value = offered[0] ?? '';
  if (offered.length > 1) {
    const items = offered.map((command) => ({
      label: command,
      description: command === last ? 'last used' : '',
    }));
    const picked = await vscode.window.showQuickPick(items, {
      title: `Record the inputs of ${fn}: which command calls it?`,
      ignoreFocusOut: true,
    });
    if (!picked) return undefined;
    value = picked.label;
  }
  const command = await vscode.window.showInputBox({
    title: `Record the inputs of ${fn}`,
    prompt:
      'A command that calls the function, e.g. python3 -m pytest tests/test_etl.py (run in the workspace folder)',
    value,
    ignoreFocusOut: true,
  });
  return command?.trim() ? command.trim() : undefined;
}

interface LaunchConfiguration {
  type?: string;
  program?: string;
  module?: string;
  args?: string[];
  python?: string;
}

/** Python launch configurations as command lines: `python program args` or `python -m module args`. */
function launchCommands(uri: vscode.Uri): string[] {
  const folder = vscode.workspace.getWorkspaceFolder(uri)?.uri.fsPath ?? '';
  const configurations =
    vscode.workspace.getConfiguration('launch', uri).get<LaunchConfiguration[]>('configurations') ?? [];
  return configurations.flatMap((c) => {
    if (c.type !== 'python' && c.type !== 'debugpy') return [];
    const target = c.module
      ? ['-m', c.module]
      : c.program
        ? [c.program.replace(/\$\{workspaceFolder\}/g, folder)]
        : null;
    if (!target) return [];
    return [[c.python ?? 'python3', ...target, ...(c.args ?? [])].map(quote).join(' ')];
  });
}

function quote(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, "'\\''")}'`;
}

/** The typed command line runs in a shell, as it would in a terminal. */
function shellCommand(command: string): string[] {
  return process.platform === 'win32' ? ['cmd', '/c', command] : ['/bin/sh', '-c', command];
}

/** Runs the CLI in a terminal the user sees; resolves with its exit code. */
function runInTerminal(extensionUri: vscode.Uri, cwd: string, args: string[]): Promise<number | null> {
  const cli = vscode.Uri.joinPath(extensionUri, 'dist', 'cli.js').fsPath;
  const write = new vscode.EventEmitter<string>();
  let child: ChildProcess | undefined;
  return new Promise((resolve) => {
    const pty: vscode.Pseudoterminal = {
      onDidWrite: write.event,
      open: () => {
        write.fire(`$ amdahl ${args.map(quote).join(' ')}\r\n`);
        const started = spawn(process.execPath, [cli, ...args], {
          cwd,
          env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' },
          stdio: ['ignore', 'pipe', 'pipe'],
        });
        const show = (chunk: Buffer): void => write.fire(chunk.toString('utf8').replace(/\r?\n/g, '\r\n'));
        child = started;
        started.stdout.on('data', show);
        started.stderr.on('data', show);
        started.on('error', (error) => {
          write.fire(`amdahl record could not start: ${error.message}\r\n`);
          resolve(null);
        });
        started.on('close', (code) => {
          write.fire(`\r\n[amdahl record exited with ${code ?? 'a signal'}]\r\n`);
          write.dispose();
          resolve(code);
        });
      },
      // Closing the terminal cancels the recording, as Ctrl-C would.
      close: () => void child?.kill('SIGINT'),
    };
    const terminal = vscode.window.createTerminal({ name: 'Amdahl: Record Inputs', pty });
    terminal.show();
  });
}
