// The bare specifiers a project maps to its own files, resolved as Node.js and TypeScript do: package.json
// `imports` (#alias) of the nearest package.json, tsconfig.json `paths` and `baseUrl` of the nearest tsconfig.json
// (with `extends`), and the packages of an npm, yarn or pnpm workspace by name. Those files are bundled; any
// other bare specifier is a package that stays a require() call.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

/** A file to bundle; `external` for a package left to require(); an error text when the mapping leads nowhere. */
export type ProjectResolution = { path: string } | { external: true } | { error: string };

/** Node's conditions for a bundle that runs on Node.js, in no particular order (the target's key order rules). */
const CONDITIONS = new Set(['node', 'import', 'require', 'module', 'default']);

interface TsPaths {
  paths: Record<string, string[]>;
  /** The folder of the tsconfig.json that set `paths`: its targets are relative to it when there is no baseUrl. */
  pathsDir: string;
  baseUrl: string | null;
}

export class ProjectResolver {
  private readonly json = new Map<string, unknown>();
  private workspaces: Map<string, Map<string, string>> | null = null;

  constructor(private readonly resolveFile: (base: string) => string | null) {}

  resolve(specifier: string, importer: string): ProjectResolution {
    if (specifier.startsWith('node:')) return { external: true };
    const from = path.dirname(importer);
    if (specifier.startsWith('#')) return this.packageImport(specifier, from);
    const ts = this.tsPaths(from);
    if (ts) {
      const pattern = bestPattern(Object.keys(ts.paths), specifier);
      for (const target of pattern ? ts.paths[pattern.key]! : []) {
        const base = ts.baseUrl ?? ts.pathsDir;
        const found = this.resolveFile(path.resolve(base, target.replace('*', pattern!.star)));
        if (found) return { path: found };
      }
    }
    const workspace = this.workspacePackage(specifier, from);
    if (workspace) return workspace;
    if (ts?.baseUrl) {
      const found = this.resolveFile(path.resolve(ts.baseUrl, specifier));
      if (found) return { path: found };
    }
    return { external: true };
  }

  private packageImport(specifier: string, from: string): ProjectResolution {
    const scope = nearest(from, 'package.json');
    const imports = scope
      ? (this.readJson(path.join(scope, 'package.json')) as { imports?: unknown }).imports
      : null;
    const pattern =
      imports && typeof imports === 'object' ? bestPattern(Object.keys(imports), specifier) : null;
    if (!scope || !pattern) {
      return {
        error: `"${specifier}" is not in the "imports" of ${scope ? path.join(scope, 'package.json') : 'any package.json'}`,
      };
    }
    const target = conditional((imports as Record<string, unknown>)[pattern.key]);
    if (target === null)
      return { error: `"${specifier}" has no target for Node.js in ${path.join(scope, 'package.json')}` };
    const substituted = target.replaceAll('*', pattern.star);
    if (!substituted.startsWith('./')) return { external: true };
    const found = this.resolveFile(path.resolve(scope, substituted));
    return found ? { path: found } : { error: `"${specifier}" maps to ${substituted}, which does not exist` };
  }

  private tsPaths(from: string): TsPaths | null {
    const folder = nearest(from, 'tsconfig.json');
    return folder ? this.tsConfig(path.join(folder, 'tsconfig.json'), new Set()) : null;
  }

  /** paths and baseUrl of a tsconfig.json after its `extends` chain; each is relative to the file that sets it. */
  private tsConfig(file: string, seen: Set<string>): TsPaths | null {
    if (seen.has(file) || !existsSync(file)) return null;
    seen.add(file);
    const config = this.readJson(file) as {
      extends?: string | string[];
      compilerOptions?: { paths?: Record<string, string[]>; baseUrl?: string };
    };
    const dir = path.dirname(file);
    let inherited: TsPaths | null = null;
    for (const parent of [config.extends ?? []].flat()) {
      const parentFile = parent.startsWith('.') ? path.resolve(dir, parent) : requireResolve(parent, dir);
      if (!parentFile) continue;
      inherited =
        this.tsConfig(parentFile.endsWith('.json') ? parentFile : `${parentFile}.json`, seen) ?? inherited;
    }
    const options = config.compilerOptions ?? {};
    return {
      paths: options.paths ?? inherited?.paths ?? {},
      pathsDir: options.paths ? dir : (inherited?.pathsDir ?? dir),
      baseUrl:
        options.baseUrl !== undefined ? path.resolve(dir, options.baseUrl) : (inherited?.baseUrl ?? null),
    };
  }

  private workspacePackage(specifier: string, from: string): ProjectResolution | null {
    const parts = specifier.split('/');
    const name = specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!;
    const subpath = parts.slice(specifier.startsWith('@') ? 2 : 1).join('/');
    const dir = this.workspaceMembers(from).get(name);
    if (!dir) return null;
    const manifest = this.readJson(path.join(dir, 'package.json')) as {
      exports?: unknown;
      main?: string;
      module?: string;
    };
    let target: string | null;
    if (manifest.exports !== undefined) {
      const exports = manifest.exports;
      const map =
        exports &&
        typeof exports === 'object' &&
        !Array.isArray(exports) &&
        Object.keys(exports).some((k) => k.startsWith('.'))
          ? (exports as Record<string, unknown>)
          : { '.': exports };
      const key = subpath === '' ? '.' : `./${subpath}`;
      const pattern = bestPattern(Object.keys(map), key);
      const chosen = pattern ? conditional(map[pattern.key]) : null;
      target = chosen?.replaceAll('*', pattern!.star) ?? null;
    } else {
      target = subpath !== '' ? subpath : (manifest.module ?? manifest.main ?? 'index');
    }
    const found = target === null ? null : this.resolveFile(path.resolve(dir, target));
    return found
      ? { path: found }
      : {
          error: `"${specifier}" is the workspace package in ${dir}, but it has no file for ${subpath || 'its main entry'}`,
        };
  }

  /** Package name -> folder for the workspace around `from` (npm and yarn "workspaces", pnpm-workspace.yaml). */
  private workspaceMembers(from: string): Map<string, string> {
    this.workspaces ??= new Map();
    const root = nearestWith(from, (dir) => workspacePatterns(dir, (f) => this.readJson(f)) !== null);
    if (!root) return new Map();
    let members = this.workspaces.get(root);
    if (!members) {
      members = new Map();
      for (const dir of expandPatterns(
        root,
        workspacePatterns(root, (f) => this.readJson(f))!,
      )) {
        const name = (this.readJson(path.join(dir, 'package.json')) as { name?: unknown }).name;
        if (typeof name === 'string') members.set(name, dir);
      }
      this.workspaces.set(root, members);
    }
    return members;
  }

  private readJson(file: string): unknown {
    if (!this.json.has(file)) {
      let value: unknown = {};
      try {
        value = JSON.parse(stripJsonComments(readFileSync(file, 'utf8')));
      } catch {
        // Unreadable or not JSON: as if it said nothing, as esbuild does for a broken tsconfig.json.
      }
      this.json.set(file, value && typeof value === 'object' ? value : {});
    }
    return this.json.get(file);
  }
}

function nearest(from: string, name: string): string | null {
  return nearestWith(from, (dir) => existsSync(path.join(dir, name)));
}

function nearestWith(from: string, test: (dir: string) => boolean): string | null {
  for (let dir = from; ; dir = path.dirname(dir)) {
    if (test(dir)) return dir;
    if (path.dirname(dir) === dir || path.basename(dir) === 'node_modules') return null;
  }
}

function requireResolve(specifier: string, dir: string): string | null {
  try {
    return require.resolve(specifier, { paths: [dir] });
  } catch {
    return null;
  }
}

/** The key that matches: an exact key, else the pattern with the longest prefix before its `*` (Node, TypeScript). */
export function bestPattern(keys: string[], specifier: string): { key: string; star: string } | null {
  if (keys.includes(specifier) && !specifier.includes('*')) return { key: specifier, star: '' };
  let best: { key: string; star: string } | null = null;
  for (const key of keys) {
    const star = key.indexOf('*');
    if (star < 0) continue;
    const prefix = key.slice(0, star);
    const suffix = key.slice(star + 1);
    if (specifier.length < prefix.length + suffix.length) continue;
    if (!specifier.startsWith(prefix) || !specifier.endsWith(suffix)) continue;
    if (best && best.key.indexOf('*') >= prefix.length) continue;
    best = { key, star: specifier.slice(prefix.length, specifier.length - suffix.length) };
  }
  return best;
}

/** A package.json target for Node.js: a string, the first matching condition of an object, the first of an array. */
function conditional(target: unknown): string | null {
  if (typeof target === 'string') return target;
  if (Array.isArray(target)) {
    for (const item of target) {
      const found = conditional(item);
      if (found !== null) return found;
    }
    return null;
  }
  if (target && typeof target === 'object') {
    for (const [condition, value] of Object.entries(target)) {
      if (!CONDITIONS.has(condition)) continue;
      const found = conditional(value);
      if (found !== null) return found;
    }
  }
  return null;
}

function workspacePatterns(dir: string, readJson: (file: string) => unknown): string[] | null {
  const pnpm = path.join(dir, 'pnpm-workspace.yaml');
  if (existsSync(pnpm)) {
    return [...readFileSync(pnpm, 'utf8').matchAll(/^\s*-\s*['"]?([^'"#\n]+?)['"]?\s*$/gm)].map((m) => m[1]!);
  }
  if (!existsSync(path.join(dir, 'package.json'))) return null;
  const workspaces = (readJson(path.join(dir, 'package.json')) as { workspaces?: unknown }).workspaces;
  const list = Array.isArray(workspaces)
    ? workspaces
    : (workspaces as { packages?: unknown } | undefined)?.packages;
  return Array.isArray(list) ? list.filter((p): p is string => typeof p === 'string') : null;
}

/** Folders with a package.json matched by workspace globs: literal folders, `dir/*` and `dir/**`; `!` excludes. */
function expandPatterns(root: string, patterns: string[]): string[] {
  const excluded = new Set(
    patterns.filter((p) => p.startsWith('!')).map((p) => path.resolve(root, p.slice(1))),
  );
  const found: string[] = [];
  const visit = (dir: string, depth: number): void => {
    if (excluded.has(dir) || path.basename(dir) === 'node_modules') return;
    if (existsSync(path.join(dir, 'package.json')) && dir !== root) found.push(dir);
    if (depth === 0) return;
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (entry.isDirectory() && !entry.name.startsWith('.')) visit(path.join(dir, entry.name), depth - 1);
    }
  };
  for (const pattern of patterns.filter((p) => !p.startsWith('!'))) {
    const clean = pattern.replace(/\/+$/, '');
    const star = clean.indexOf('*');
    const base = path.resolve(root, star < 0 ? clean : clean.slice(0, star));
    if (!existsSync(base)) continue;
    if (star < 0) visit(base, 0);
    else if (clean.endsWith('**')) visit(base, 8);
    else
      for (const entry of readdirSync(base, { withFileTypes: true })) {
        if (entry.isDirectory()) visit(path.join(base, entry.name), 0);
      }
  }
  return [...new Set(found)];
}

/** JSON with comments and trailing commas (tsconfig.json's dialect) as JSON. */
export function stripJsonComments(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '"') {
      const end = stringEnd(text, i);
      out += text.slice(i, end);
      i = end - 1;
    } else if (c === '/' && text[i + 1] === '/') {
      while (i < text.length && text[i] !== '\n') i++;
      out += '\n';
    } else if (c === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2);
      i = end < 0 ? text.length : end + 1;
    } else out += c;
  }
  return out.replace(/,(\s*[}\]])/g, '$1');
}

function stringEnd(text: string, start: number): number {
  for (let i = start + 1; i < text.length; i++) {
    if (text[i] === '\\') i++;
    else if (text[i] === '"') return i + 1;
  }
  return text.length;
}
