// "Profile Parallel Speedup": from a lens (file and function given) or the palette (the function at the cursor,
// else a quick pick), after the trust, save and interpreter checks, with the inputs asked for.
import { existsSync } from 'node:fs';
import path from 'node:path';
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { FunctionsRequest, type DiscoveredFunction } from '../protocol/lsp';
import type { ProfileOptions, TargetSpec } from '../protocol/profile';
import { LANGUAGES, type Language } from '../protocol/languages';
import { parseSizes, sizedDefaultInputs, usesSizeName } from '../protocol/sizes';
import { describeRecording, RECORDED, recordingOf, type RecordingSummary } from '../protocol/recording';
import { readConfig, type AmdahlConfig } from './config';
import { missingInterpreter, offerInterpreterChoice, pythonFor } from './interpreter';
import { notebookOf } from './notebookCells';
import type { Runs } from './runs';

export interface ProfileCommandContext {
  client: LanguageClient;
  runs: Runs;
  state: vscode.Memento;
}

export async function profileCommand(
  context: ProfileCommandContext,
  uriArg?: string,
  nameArg?: string,
  /** inputs: "@recorded" from a recording's lens; atSizes: "Profile at Input Sizes", which asks for the sizes too. */
  how: { inputs?: string; atSizes?: boolean } = {},
): Promise<void> {
  const document = await trustedDocument(uriArg);
  if (!document) return;
  const config = readConfig(document.uri);
  if (!config.ok) {
    void vscode.window.showErrorMessage(`Amdahl: ${config.error}`);
    return;
  }
  const { language, functions } = await context.client.sendRequest(FunctionsRequest, {
    uri: document.uri.toString(),
  });
  if (!language) {
    void vscode.window.showErrorMessage('Amdahl profiles Python, JavaScript and TypeScript files.');
    return;
  }
  const fn = nameArg
    ? (functions.find((f) => f.name === nameArg) ?? { name: nameArg })
    : await chooseFunction(document, functions);
  if (!fn) return;
  if (!(await savedVersion(document))) return;

  const atSizes = how.atSizes === true;
  // The lens of a recording names its inputs: no need to ask.
  const recorded = how.inputs === RECORDED ? recordingOfDocument(document, fn.name) : null;
  const asked = recorded
    ? { inputs: '', recording: recorded }
    : await askInputs(context.state, document, fn, language, atSizes);
  if (asked === undefined) return;
  const sizes = atSizes ? await askSizes(context.state) : null;
  if (atSizes && !sizes) return;

  let pythons: string[] = [];
  if (language === 'python') {
    const interpreter = await pythonFor(document.uri, config.value.pythonPath);
    if (missingInterpreter(interpreter)) {
      await offerInterpreterChoice(
        `Amdahl: the Python interpreter ${interpreter.executable} (from ${interpreter.source}) does not exist.`,
      );
      return;
    }
    pythons = [interpreter.executable];
  }
  const target: TargetSpec = { file: document.uri.fsPath, function: fn.name, language };
  if (asked.recording) {
    // The interpreter that recorded the calls is the one that can read them back.
    target.recording = asked.recording.recording;
    if (existsSync(asked.recording.interpreter.executable))
      pythons = [asked.recording.interpreter.executable];
  }
  const options = {
    ...profileOptions(document.uri, target, asked.inputs, pythons, config.value),
    ...(sizes ? { sizes } : {}),
  };
  await context.runs.start({ uri: document.uri.toString(), function: fn.name, options });
}

/**
 * What the runner is asked: the settings, and where the target's imports come from. Reports name files relative
 * to the file's own workspace folder (not the first one); the runner runs the target in its project root.
 */
function profileOptions(
  uri: vscode.Uri,
  target: TargetSpec,
  inputs: string,
  pythons: string[],
  config: AmdahlConfig,
): ProfileOptions {
  const folder = vscode.workspace.getWorkspaceFolder(uri);
  const cwd = folder?.uri.fsPath ?? path.dirname(uri.fsPath);
  return {
    targets: [target],
    inputs: inputs.trim() === '' ? null : inputs,
    starmap: false,
    workers: config.workers,
    backends: config.backends,
    startMethods: config.startMethod ? [config.startMethod] : null,
    ...(config.chunksize ? { chunksize: config.chunksize } : {}),
    ...(config.order !== 'given' ? { order: config.order } : {}),
    pythons,
    repeat: config.repeat,
    budgetSeconds: config.budgetSeconds,
    precision: config.precision,
    timeoutSeconds: config.timeoutSeconds,
    engineOptions: {},
    cwd,
    pythonPathEntries: config.pythonPathEntries.map((entry) => path.resolve(cwd, expandFolder(entry, cwd))),
    envFile: pythonEnvFile(uri, cwd),
  };
}

/** The Python extension's python.envFile where the user set it (its default, the folder's .env, is the runner's). */
function pythonEnvFile(uri: vscode.Uri, cwd: string): string | null {
  const setting = vscode.workspace.getConfiguration('python', uri).inspect<string>('envFile');
  const value = setting?.workspaceFolderValue ?? setting?.workspaceValue ?? setting?.globalValue;
  return typeof value === 'string' && value.trim() !== ''
    ? path.resolve(cwd, expandFolder(value, cwd))
    : null;
}

function expandFolder(value: string, folder: string): string {
  return value.replace(/\$\{workspaceFolder\}/g, folder);
}

/** The file to run code of (the given one, else the active editor's), in a trusted workspace; else says why not. */
export async function trustedDocument(uriArg: string | undefined): Promise<vscode.TextDocument | undefined> {
  if (!vscode.workspace.isTrusted) {
    await explainRestrictedMode();
    return undefined;
  }
  const document = uriArg
    ? await openDocument(vscode.Uri.parse(uriArg))
    : vscode.window.activeTextEditor?.document;
  if (!document) {
    void vscode.window.showErrorMessage(
      uriArg
        ? `Amdahl: ${vscode.Uri.parse(uriArg).fsPath} cannot be opened; was it deleted?`
        : 'Amdahl: open a Python, JavaScript or TypeScript file first.',
    );
  }
  return document;
}

async function explainRestrictedMode(): Promise<void> {
  const manage = 'Manage Workspace Trust';
  const answer = await vscode.window.showWarningMessage(
    'Amdahl does not run code in Restricted Mode: profiling runs the function. Trust this workspace to profile it.',
    manage,
  );
  if (answer === manage) await vscode.commands.executeCommand('workbench.trust.manage');
}

function recordingOfDocument(document: vscode.TextDocument, fn: string): RecordingSummary | null {
  const folder =
    vscode.workspace.getWorkspaceFolder(document.uri)?.uri.fsPath ?? path.dirname(document.uri.fsPath);
  return recordingOf(document.uri.fsPath, fn, folder);
}

/**
 * The inputs: the function's recorded calls first where there are some (`amdahl record`, "Record Inputs..."), else
 * the input list, offered as last time, else as the function's inputs comment, else the default; kept for next time.
 */
async function askInputs(
  state: vscode.Memento,
  document: vscode.TextDocument,
  fn: { name: string; inputs?: string },
  language: Language,
  atSizes: boolean,
): Promise<{ inputs: string; recording?: RecordingSummary } | undefined> {
  const stateKey = `inputs:${document.uri.toString()}#${fn.name}`;
  const remembered = state.get<string>(stateKey) ?? fn.inputs ?? LANGUAGES[language].defaultInputs;
  // A size sweep binds n in an expression: recorded calls have no n.
  const recording = language === 'python' && !atSizes ? recordingOfDocument(document, fn.name) : null;
  if (recording) {
    const items = [
      { label: describeRecording(recording), detail: recording.recording, recorded: true },
      { label: 'An input list...', detail: "an expression evaluated in the file's module", recorded: false },
    ];
    const picked = await vscode.window.showQuickPick(items, {
      title: `Profile ${fn.name}: inputs`,
      ignoreFocusOut: true,
    });
    if (!picked) return undefined;
    if (picked.recorded) return { inputs: '', recording };
  }
  const inputs = await vscode.window.showInputBox({
    title: `Profile ${fn.name}: inputs${atSizes ? ', with n the input size' : ''}`,
    prompt: `The input list, an expression in ${language === 'python' ? 'Python' : 'JavaScript'} evaluated in the file's module${atSizes ? '; n takes each size' : ''}`,
    value: atSizes && !usesSizeName(remembered) ? sizedDefaultInputs(language) : remembered,
    ignoreFocusOut: true,
    ...(atSizes
      ? {
          validateInput: (text: string) =>
            usesSizeName(text) ? null : 'Use n, the input size, e.g. range(n).',
        }
      : {}),
  });
  if (inputs === undefined) return undefined;
  await state.update(stateKey, inputs);
  return { inputs };
}

/** The input sizes of a sweep, remembered for the next one. */
async function askSizes(state: vscode.Memento): Promise<number[] | undefined> {
  const text = await vscode.window.showInputBox({
    title: 'Profile at input sizes',
    prompt: 'Input sizes, comma-separated: each is bound to n and profiled on its own',
    value: state.get<string>('sizes') ?? '100,1000,10000',
    ignoreFocusOut: true,
    validateInput: (value) => {
      const parsed = parseSizes(value);
      return parsed.ok ? null : `The ${parsed.error}.`;
    },
  });
  if (text === undefined) return undefined;
  const parsed = parseSizes(text);
  if (!parsed.ok) return undefined;
  await state.update('sizes', text);
  return parsed.sizes;
}

async function openDocument(uri: vscode.Uri): Promise<vscode.TextDocument | undefined> {
  try {
    return await vscode.workspace.openTextDocument(uri);
  } catch {
    return undefined;
  }
}

/** The function at the cursor, else a quick pick; functions that cannot be profiled are listed with the reason. */
export async function chooseFunction(
  document: vscode.TextDocument,
  functions: DiscoveredFunction[],
): Promise<DiscoveredFunction | undefined> {
  const editor = vscode.window.activeTextEditor;
  const line = editor?.document === document ? editor.selection.active.line : -1;
  const atCursor = functions
    .filter((f) => f.line <= line && line <= f.endLine)
    .sort((a, b) => b.line - a.line)[0];
  if (atCursor?.profilable) return atCursor;
  if (functions.length === 0) {
    void vscode.window.showInformationMessage(
      `Amdahl: no function found in ${path.basename(document.fileName)}.`,
    );
    return undefined;
  }
  type Item = vscode.QuickPickItem & { fn: DiscoveredFunction };
  const items: Item[] = functions.map((fn) => ({
    label: fn.name,
    description: fn.profilable ? `line ${fn.line + 1}` : `not offered: ${fn.reason ?? ''}`,
    fn,
  }));
  const picked = await vscode.window.showQuickPick(items, {
    title: 'Profile Parallel Speedup: which function?',
  });
  if (picked && !picked.fn.profilable) {
    void vscode.window.showInformationMessage(
      `Amdahl: ${picked.fn.name} cannot be profiled: ${picked.fn.reason ?? ''}.`,
    );
    return undefined;
  }
  return picked?.fn;
}

/**
 * The runner reads the file from disk, so unsaved edits are saved first (or the run is not started). A notebook
 * cell's edits are the notebook's: it is the notebook that is saved.
 */
async function savedVersion(document: vscode.TextDocument): Promise<boolean> {
  const saved: Pick<vscode.TextDocument, 'isUntitled' | 'isDirty' | 'save'> =
    notebookOf(document) ?? document;
  const what = saved === document ? 'file' : 'notebook';
  if (saved.isUntitled) {
    void vscode.window.showErrorMessage(
      `Amdahl: save the ${what} first; the runner profiles the saved ${what}.`,
    );
    return false;
  }
  if (!saved.isDirty) return true;
  const save = 'Save and Profile';
  const answer = await vscode.window.showWarningMessage(
    `${path.basename(document.uri.fsPath)} has unsaved changes; the saved version is profiled.`,
    { modal: true },
    save,
  );
  return answer === save && (await saved.save());
}
