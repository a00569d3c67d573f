// Compiles the target file with esbuild into one CommonJS module held in memory (an ES module when the target
// uses top-level await): relative imports bundled,
// packages from node_modules left to require(), TypeScript and modern syntax lowered, an inline source map so
// stacks point at the user's lines, and the inputs expression appended in the entry's own scope.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { BuildFailure } from 'esbuild';
import { LANGUAGES } from '../../../protocol/languages';
import { bundle, type BundleRequest, type EsbuildApi } from './bundle';
import { HarnessError } from './failures';
import { INPUTS_EXPORT } from './inputsExport';
import type { WasmAnswer } from './wasmBundler';

export interface CompiledTarget {
  code: string;
  /**
   * The file name the bundle is compiled under: beside the target (never written), so require() finds the
   * target's own node_modules and the source map's relative paths resolve to the user's files.
   */
  filename: string;
  /** 'esm': an ES module (top-level await), imported from a file each thread writes and removes once loaded. */
  format: 'cjs' | 'esm';
}

/** The built WebAssembly bundler thread, beside the harness in dist/. */
const WASM_BUNDLER_FILE = path.join(__dirname, 'js-wasm-bundler.js');

export async function compileTarget(file: string, inputs: string | null): Promise<CompiledTarget> {
  const entry = path.resolve(file);
  let source: string;
  try {
    source = await readFile(entry, 'utf8');
  } catch (error) {
    throw new HarnessError('import-failed', `Cannot read ${file}: ${(error as Error).message}.`, {
      recoverable: false,
    });
  }
  const sourceLines = source.split('\n').length;
  const expression = inputs ?? LANGUAGES.javascript.defaultInputs;
  const extension = path.extname(entry).toLowerCase();
  const appended = isCommonJs(source, extension)
    ? `\n;module.exports.${INPUTS_EXPORT} = () => (${expression}\n);\n`
    : `\nexport const ${INPUTS_EXPORT} = () => (${expression}\n);\n`;
  const request: BundleRequest = {
    entry,
    entryContents: source + appended,
    outfile: path.join(path.dirname(entry), `.amdahl-${path.basename(entry)}.cjs`),
    target: `node${process.versions.node.split('.')[0]}`,
    format: 'cjs',
  };
  try {
    return await bundleAs(request);
  } catch (error) {
    if (!needsEsm(error)) throw buildFailure(error, file, entry, sourceLines);
  }
  // Top-level await: an ES module, which each thread imports from a file beside the target (moduleLoader.ts).
  const esm: BundleRequest = {
    ...request,
    format: 'esm',
    outfile: path.join(path.dirname(entry), `.amdahl-${path.basename(entry)}.mjs`),
  };
  try {
    return await bundleAs(esm);
  } catch (error) {
    throw buildFailure(error, file, entry, sourceLines);
  }
}

async function bundleAs(request: BundleRequest): Promise<CompiledTarget> {
  const native = nativeEsbuild();
  const code = native ? await bundle(native, request) : await bundleInWasm(request);
  return { code, filename: request.outfile, format: request.format };
}

/** esbuild's refusal of top-level await in a CommonJS bundle. */
function needsEsm(error: unknown): boolean {
  const errors = (error as Partial<BuildFailure>).errors ?? [];
  return errors.some((e) =>
    /Top-level await is currently not supported with the "cjs" output format/.test(e.text),
  );
}

/** The native esbuild where it is installed (npm installs it); null in the .vsix, or with AMDAHL_ESBUILD=wasm. */
function nativeEsbuild(): EsbuildApi | null {
  if (process.env.AMDAHL_ESBUILD === 'wasm') return null;
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require('esbuild') as EsbuildApi;
  } catch {
    // Not installed, or installed without the binary for this platform.
    return null;
  }
}

/** Bundles in a thread of its own running esbuild.wasm; throws esbuild's failure the way the native build does. */
function bundleInWasm(request: BundleRequest): Promise<string> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(WASM_BUNDLER_FILE, { workerData: request });
    let settled = false;
    const settle = (answer: WasmAnswer): void => {
      if (settled) return;
      settled = true;
      void worker.terminate();
      if (answer.ok) resolve(answer.code);
      else reject(Object.assign(new Error(answer.message), { errors: answer.errors }));
    };
    worker.once('message', settle);
    worker.once('error', (error) => settle({ ok: false, errors: [], message: error.message }));
    worker.once('exit', (code) =>
      settle({ ok: false, errors: [], message: `the esbuild.wasm thread exited (code ${code})` }),
    );
  });
}

/** A .cjs file, or a .js/.ts file that assigns module.exports and has no export statement. */
function isCommonJs(source: string, extension: string): boolean {
  if (extension === '.cjs' || extension === '.cts') return true;
  if (extension === '.mjs' || extension === '.mts') return false;
  return /\b(module\.exports|exports\.[\w$]+)\s*=/.test(source) && !/^\s*export\s/m.test(source);
}

/** A syntax error as `file:line:column: text`; one past the user's last line is the inputs expression. */
function buildFailure(error: unknown, file: string, entry: string, sourceLines: number): HarnessError {
  const errors = (error as Partial<BuildFailure>).errors ?? [];
  const first = errors[0];
  if (!first) return new HarnessError('import-failed', `esbuild failed: ${(error as Error).message}.`);
  const location = first.location;
  if (location && path.resolve(location.file) === entry && location.line > sourceLines) {
    return new HarnessError('inputs-failed', `The --inputs expression does not parse: ${first.text}.`, {
      recoverable: false,
    });
  }
  const shown = (f: string): string => (path.resolve(f) === entry ? file : path.resolve(f));
  const where = location ? `${shown(location.file)}:${location.line}:${location.column + 1}` : file;
  const detail = errors
    .map(
      (e) =>
        `${e.location ? `${shown(e.location.file)}:${e.location.line}:${e.location.column + 1}: ` : ''}${e.text}`,
    )
    .join('\n');
  return new HarnessError('import-failed', `${where}: ${first.text} (the file could not be compiled).`, {
    detail,
    recoverable: false,
  });
}
