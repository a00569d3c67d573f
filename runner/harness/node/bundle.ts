// How a target is bundled, whichever esbuild runs it (the native binary, or the WebAssembly build the .vsix
// ships): one plugin resolves and reads every file itself, so both engines bundle exactly the same way.
// Relative and absolute imports are bundled, and so are the bare ones the project maps to its own files
// (projectResolve.ts); other bare specifiers (packages, node: builtins) stay require() calls.
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { BuildOptions, Loader, OutputFile, Plugin } from 'esbuild';
import { ProjectResolver } from './projectResolve';

/** What to bundle: the entry's text is given (the inputs expression is appended to it), the rest is read. */
export interface BundleRequest {
  entry: string;
  entryContents: string;
  outfile: string;
  /** e.g. "node20": the syntax of the Node.js that runs the harness. */
  target: string;
  /** CommonJS, or an ES module for targets with top-level await (which CommonJS cannot express). */
  format: 'cjs' | 'esm';
}

/** The part of esbuild's API used here, the same in the native and the WebAssembly build. */
export interface EsbuildApi {
  build(options: BuildOptions & { write: false }): Promise<{ outputFiles: OutputFile[] }>;
}

const LOADERS: Record<string, Loader> = {
  '.ts': 'ts',
  '.mts': 'ts',
  '.cts': 'ts',
  '.tsx': 'tsx',
  '.jsx': 'jsx',
  '.json': 'json',
};

export function loaderFor(file: string): Loader {
  return LOADERS[path.extname(file).toLowerCase()] ?? 'js';
}

/** esbuild's order for extensionless imports, then the module flavours it also accepts. */
const EXTENSIONS = ['.tsx', '.ts', '.jsx', '.js', '.mts', '.cts', '.mjs', '.cjs', '.json'];
/** TypeScript sources import each other by their output names: './util.js' means './util.ts'. */
const TS_FOR_JS: Record<string, string[]> = {
  '.js': ['.ts', '.tsx'],
  '.jsx': ['.tsx'],
  '.mjs': ['.mts'],
  '.cjs': ['.cts'],
};

function isFile(file: string): boolean {
  return statSync(file, { throwIfNoEntry: false })?.isFile() ?? false;
}

/** The file an import of `base` means, as esbuild (and TypeScript) resolve it; null if there is none. */
export function resolveImport(base: string): string | null {
  if (isFile(base)) return base;
  const extension = path.extname(base);
  for (const replacement of TS_FOR_JS[extension] ?? []) {
    const candidate = base.slice(0, -extension.length) + replacement;
    if (isFile(candidate)) return candidate;
  }
  for (const candidate of EXTENSIONS.map((ext) => base + ext)) if (isFile(candidate)) return candidate;
  for (const candidate of EXTENSIONS.map((ext) => path.join(base, `index${ext}`))) {
    if (isFile(candidate)) return candidate;
  }
  return null;
}

function filesPlugin(request: BundleRequest): Plugin {
  return {
    name: 'amdahl-files',
    setup(build) {
      const project = new ProjectResolver(resolveImport);
      build.onResolve({ filter: /.*/ }, (args) => {
        if (args.kind === 'entry-point') return { path: request.entry };
        if (!args.path.startsWith('.') && !path.isAbsolute(args.path)) {
          const mapped = project.resolve(args.path, args.importer);
          if ('error' in mapped)
            return { errors: [{ text: `Could not resolve "${args.path}": ${mapped.error}` }] };
          return 'external' in mapped ? { path: args.path, external: true } : mapped;
        }
        const resolved = resolveImport(path.resolve(args.resolveDir, args.path));
        return resolved ? { path: resolved } : { errors: [{ text: `Could not resolve "${args.path}"` }] };
      });
      build.onLoad({ filter: /.*/ }, (args) => ({
        contents: withImportMeta(
          args.path,
          args.path === request.entry ? request.entryContents : readFileSync(args.path, 'utf8'),
        ),
        loader: loaderFor(args.path),
        resolveDir: path.dirname(args.path),
      }));
    },
  };
}

/** What `import.meta` becomes in the bundle (one file for many modules): each module's own. */
const IMPORT_META = '__amdahl_import_meta';

/**
 * An ES module that reads `import.meta.url` (data beside the file, `"type": "module"` packages) gets its own
 * url, filename and dirname, declared on its first line so that every other line keeps its number.
 */
function withImportMeta(file: string, contents: string): string {
  if (loaderFor(file) === 'json' || !contents.includes('import.meta')) return contents;
  const meta = { url: pathToFileURL(file).href, filename: file, dirname: path.dirname(file) };
  return `var ${IMPORT_META} = ${JSON.stringify(meta)};${contents}`;
}

/** One module in the request's format with an inline source map; throws esbuild's failure (with `errors`) when it does not build. */
export async function bundle(esbuild: EsbuildApi, request: BundleRequest): Promise<string> {
  const result = await esbuild.build({
    entryPoints: [request.entry],
    // Error locations are relative to it; the WebAssembly build would otherwise take "/".
    absWorkingDir: process.cwd(),
    bundle: true,
    platform: 'node',
    format: request.format,
    target: request.target,
    sourcemap: 'inline',
    sourcesContent: false,
    write: false,
    outfile: request.outfile,
    logLevel: 'silent',
    define: { 'import.meta': IMPORT_META },
    // The ES module's require() of packages (from CommonJS sources), resolved beside the target.
    ...(request.format === 'esm'
      ? {
          banner: {
            js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);",
          },
        }
      : {}),
    plugins: [filesPlugin(request)],
  });
  const output = result.outputFiles.find((f) => /\.[cm]js$/.test(f.path)) ?? result.outputFiles[0];
  if (!output) throw new Error(`esbuild produced no output for ${request.entry}`);
  return output.text;
}
