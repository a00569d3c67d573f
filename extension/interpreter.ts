// Which Python runs a file: the Python extension's environment for its folder, else amdahl.pythonPath, else python3.
import { existsSync } from 'node:fs';
import path from 'node:path';
import * as vscode from 'vscode';

/** The slice of the Python extension's published API used here (ms-python.python, `environments`). */
interface PythonExtensionApi {
  environments?: {
    getActiveEnvironmentPath(resource?: vscode.Uri): { path: string };
    resolveEnvironment(env: { path: string }): Promise<{ executable: { uri?: vscode.Uri } } | undefined>;
  };
}

export interface Interpreter {
  executable: string;
  /** Where it came from, for messages. */
  source: 'python extension' | 'amdahl.pythonPath' | 'default';
}

export async function pythonFor(file: vscode.Uri, pythonPath: string | null): Promise<Interpreter> {
  const fromExtension = await fromPythonExtension(file);
  if (fromExtension) return { executable: fromExtension, source: 'python extension' };
  if (pythonPath) return { executable: pythonPath, source: 'amdahl.pythonPath' };
  return { executable: 'python3', source: 'default' };
}

async function fromPythonExtension(file: vscode.Uri): Promise<string | null> {
  const extension = vscode.extensions.getExtension<PythonExtensionApi>('ms-python.python');
  if (!extension) return null;
  try {
    const api = extension.isActive ? extension.exports : await extension.activate();
    const environments = api.environments;
    if (!environments) return null;
    const active = environments.getActiveEnvironmentPath(file);
    const resolved = await environments.resolveEnvironment(active);
    return resolved?.executable.uri?.fsPath ?? null;
  } catch {
    // A broken Python extension must not stop profiling: fall back to the setting.
    return null;
  }
}

/** A path-like interpreter that is not there; a bare name (python3) is looked up on PATH by the runner. */
export function missingInterpreter(interpreter: Interpreter): boolean {
  const executable = interpreter.executable;
  return (path.isAbsolute(executable) || executable.includes(path.sep)) && !existsSync(executable);
}

/** Says the interpreter is missing and offers to choose one. */
export async function offerInterpreterChoice(message: string): Promise<void> {
  const hasPython = vscode.extensions.getExtension('ms-python.python') !== undefined;
  const choose = 'Choose Interpreter';
  const answer = await vscode.window.showErrorMessage(message, choose);
  if (answer !== choose) return;
  if (hasPython) await vscode.commands.executeCommand('python.setInterpreter');
  else await vscode.commands.executeCommand('workbench.action.openSettings', 'amdahl.pythonPath');
}
