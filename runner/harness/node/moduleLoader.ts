// Runs the compiled target as a CommonJS module inside a worker thread and finds the function to profile.
import { rmSync, writeFileSync } from 'node:fs';
import Module from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { threadId } from 'node:worker_threads';
import type { CompiledTarget } from './compileTarget';
import { INPUTS_EXPORT } from './inputsExport';
import { HarnessError } from './failures';

interface InternalModule {
  exports: unknown;
  filename: string;
  paths: string[];
  _compile(code: string, filename: string): void;
}
interface InternalModuleClass {
  new (id: string, parent?: unknown): InternalModule;
  _nodeModulePaths(from: string): string[];
}

/** Evaluates the module; its own throw becomes import-failed with the stack mapped to the user's source. */
export function loadModule(compiled: CompiledTarget): Record<string, unknown> {
  // Stacks through the inline source map: an error names the user's file and line, not the bundle's.
  process.setSourceMapsEnabled(true);
  const ModuleClass = Module as unknown as InternalModuleClass;
  const module = new ModuleClass(compiled.filename);
  module.filename = compiled.filename;
  module.paths = ModuleClass._nodeModulePaths(path.dirname(compiled.filename));
  try {
    module._compile(compiled.code, compiled.filename);
  } catch (error) {
    throw loadFailure(error);
  }
  return module.exports as Record<string, unknown>;
}

/**
 * The ES module bundle (top-level await) by import() of a file of this thread's own beside the target, so its
 * imports resolve as the target's do; the file is removed as soon as the module has loaded (or failed to).
 */
export async function importModule(compiled: CompiledTarget): Promise<Record<string, unknown>> {
  if (compiled.format !== 'esm') return loadModule(compiled);
  process.setSourceMapsEnabled(true);
  const base = path.basename(compiled.filename).replace(/^\.amdahl-/, '');
  const file = path.join(path.dirname(compiled.filename), `.amdahl-${process.pid}-${threadId}-${base}`);
  try {
    writeFileSync(file, compiled.code, { flag: 'wx' });
    return (await import(pathToFileURL(file).href)) as Record<string, unknown>;
  } catch (error) {
    throw loadFailure(error);
  } finally {
    rmSync(file, { force: true });
  }
}

function loadFailure(error: unknown): HarnessError {
  const stack = error instanceof Error ? (error.stack ?? error.message) : String(error);
  const first = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return new HarnessError('import-failed', `Loading the module raised ${first}${userFrame(stack)}.`, {
    detail: stack,
    recoverable: false,
  });
}

/** The named export, `default` (an ES default export or `module.exports = fn`), or function-not-found. */
export function resolveFunction(
  exports: Record<string, unknown>,
  name: string,
  file: string,
): (...args: unknown[]) => unknown {
  const candidate = name === 'default' && typeof exports === 'function' ? exports : exports[name];
  if (typeof candidate === 'function') return candidate as (...args: unknown[]) => unknown;
  const names = exportNames(exports);
  const listing = names.length > 0 ? `it exports ${names.join(', ')}` : 'it exports nothing';
  const reason =
    candidate === undefined
      ? `${file} has no export named ${name}`
      : `${file}'s export ${name} is ${candidate === null ? 'null' : `of type ${typeof candidate}`}, not a function`;
  throw new HarnessError('function-not-found', `${reason}; ${listing}.`, { recoverable: false });
}

export function exportNames(exports: Record<string, unknown>): string[] {
  const names = Object.keys(exports).filter((key) => key !== INPUTS_EXPORT && key !== '__esModule');
  if (typeof exports === 'function') names.unshift('default (module.exports)');
  return names;
}

/** The inputs expression, evaluated in the module's scope, as an array. */
export function evaluateInputs(exports: Record<string, unknown>, expression: string | null): unknown[] {
  const thunk = exports[INPUTS_EXPORT];
  if (typeof thunk !== 'function') {
    throw new HarnessError('inputs-failed', 'The inputs expression was not compiled into the module.');
  }
  let value: unknown;
  try {
    value = (thunk as () => unknown)();
  } catch (error) {
    const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    throw new HarnessError(
      'inputs-failed',
      `The inputs expression ${expression ?? '(default)'} raised ${text}.`,
      {
        detail: error instanceof Error ? error.stack : undefined,
        recoverable: false,
      },
    );
  }
  if (
    value === null ||
    value === undefined ||
    typeof (value as Iterable<unknown>)[Symbol.iterator] !== 'function' ||
    typeof value === 'string'
  ) {
    throw new HarnessError(
      'inputs-failed',
      `The inputs expression ${expression ?? '(default)'} gave ${value === null ? 'null' : typeof value}, not an array or other iterable of inputs.`,
      { recoverable: false },
    );
  }
  return Array.from(value as Iterable<unknown>);
}

/** The first stack line in the user's own files, as " at file:line:col". */
function userFrame(stack: string): string {
  for (const line of stack.split('\n').slice(1)) {
    const match = /\(?((?:\/|[A-Za-z]:\\)[^():]+):(\d+):(\d+)\)?$/.exec(line.trim());
    if (match && !match[1]!.includes('node_modules') && !match[1]!.includes('/.amdahl-')) {
      return ` at ${match[1]}:${match[2]}`;
    }
  }
  return '';
}
