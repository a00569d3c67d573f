// Compiles the target file with esbuild into one CommonJS module held in memory: relative imports bundled,
// packages from node_modules left to require(), TypeScript and modern syntax lowered, an inline source map so
// stacks point at the user's lines, and the inputs expression appended in the entry's own scope.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import * as esbuild from 'esbuild';
import { HarnessError } from './failures';
import { DEFAULT_INPUTS, INPUTS_EXPORT } from './inputsExport';

export interface CompiledTarget {
  code: string;
  /**
   * The file name the bundle is compiled under: beside the target (never written), so require() finds the
   * target's own node_modules and the source map's relative paths resolve to the user's files.
   */
  filename: string;
}

const LOADERS: Record<string, esbuild.Loader> = {
  '.ts': 'ts',
  '.mts': 'ts',
  '.cts': 'ts',
  '.tsx': 'tsx',
  '.jsx': 'jsx',
};

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
  const expression = inputs ?? DEFAULT_INPUTS;
  const extension = path.extname(entry).toLowerCase();
  const loader = LOADERS[extension] ?? 'js';
  const appended = isCommonJs(source, extension)
    ? `\n;module.exports.${INPUTS_EXPORT} = () => (${expression}\n);\n`
    : `\nexport const ${INPUTS_EXPORT} = () => (${expression}\n);\n`;
  const filename = path.join(path.dirname(entry), `.amdahl-${path.basename(entry)}.cjs`);

  const appendInputs: esbuild.Plugin = {
    name: 'amdahl-inputs',
    setup(build) {
      build.onLoad({ filter: /.*/ }, (args) =>
        args.path === entry
          ? { contents: source + appended, loader, resolveDir: path.dirname(entry) }
          : undefined,
      );
    },
  };

  let result: esbuild.BuildResult & { outputFiles: esbuild.OutputFile[] };
  try {
    result = await esbuild.build({
      entryPoints: [entry],
      bundle: true,
      platform: 'node',
      format: 'cjs',
      target: `node${process.versions.node.split('.')[0]}`,
      packages: 'external',
      sourcemap: 'inline',
      sourcesContent: false,
      write: false,
      outfile: filename,
      logLevel: 'silent',
      plugins: [appendInputs],
    });
  } catch (error) {
    throw buildFailure(error, file, entry, sourceLines);
  }
  const output = result.outputFiles.find((f) => f.path.endsWith('.cjs')) ?? result.outputFiles[0];
  if (!output) throw new HarnessError('import-failed', `esbuild produced no output for ${file}.`);
  return { code: output.text, filename };
}

/** A .cjs file, or a .js/.ts file that assigns module.exports and has no export statement. */
function isCommonJs(source: string, extension: string): boolean {
  if (extension === '.cjs' || extension === '.cts') return true;
  if (extension === '.mjs' || extension === '.mts') return false;
  return /\b(module\.exports|exports\.[\w$]+)\s*=/.test(source) && !/^\s*export\s/m.test(source);
}

/** A syntax error as `file:line:column: text`; one past the user's last line is the inputs expression. */
function buildFailure(error: unknown, file: string, entry: string, sourceLines: number): HarnessError {
  const errors = (error as esbuild.BuildFailure).errors ?? [];
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
