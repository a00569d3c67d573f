// Where a target runs from, and which folders a Python target's imports may need besides its own package root:
// the project root is the nearest folder with pyproject.toml, setup.cfg, package.json or .git; the extra import
// path comes from amdahl.pythonPathEntries (--python-path), PYTHONPATH in a .env file and pytest's pythonpath.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse as parseToml } from 'smol-toml';

const PROJECT_MARKERS = ['pyproject.toml', 'setup.cfg', 'package.json', '.git'];

/** The nearest folder at or above the file's own that holds a project marker; null if there is none. */
export function projectRoot(file: string): string | null {
  return nearestWith(path.dirname(path.resolve(file)), (folder) =>
    PROJECT_MARKERS.some((marker) => existsSync(path.join(folder, marker))),
  );
}

function nearestWith(start: string, test: (folder: string) => boolean): string | null {
  for (let folder = start; ; folder = path.dirname(folder)) {
    if (test(folder)) return folder;
    if (path.dirname(folder) === folder) return null;
  }
}

export interface PythonPathSources {
  /** Entries given to Amdahl itself (setting or CLI), absolute. */
  given: readonly string[];
  /** The .env file to read; null: the project root's .env, else the working folder's. */
  envFile: string | null;
  /** The working folder of the profile (the workspace folder, or the CLI's). */
  cwd: string;
  /** The environment, for ${VAR} in the .env file. */
  env: NodeJS.ProcessEnv;
}

/**
 * Absolute import-path entries for a Python target, in order of precedence: given, then .env PYTHONPATH, then
 * [tool.pytest.ini_options] pythonpath of the nearest pyproject.toml. The environment's own PYTHONPATH comes
 * before all of them; Python puts it on sys.path by itself. `problems` says what could not be read.
 */
export function pythonPathEntries(
  file: string,
  sources: PythonPathSources,
): { entries: string[]; problems: string[] } {
  const problems: string[] = [];
  const root = projectRoot(file);
  const envFile =
    sources.envFile ??
    [root, sources.cwd].flatMap((f) => (f ? [path.join(f, '.env')] : [])).find((f) => existsSync(f)) ??
    null;
  const fromEnvFile = envFile ? envFilePythonPath(envFile, sources.env, problems) : [];
  const pyproject = nearestWith(path.dirname(path.resolve(file)), (f) =>
    existsSync(path.join(f, 'pyproject.toml')),
  );
  const fromPyproject = pyproject ? pytestPythonPath(path.join(pyproject, 'pyproject.toml'), problems) : [];
  const entries = [...sources.given, ...fromEnvFile, ...fromPyproject].map((e) => path.resolve(e));
  return { entries: [...new Set(entries)], problems };
}

/** PYTHONPATH from a .env file (python-dotenv's syntax), relative entries taken from the file's folder. */
export function envFilePythonPath(file: string, env: NodeJS.ProcessEnv, problems: string[]): string[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if (path.basename(file) !== '.env' || (error as NodeJS.ErrnoException).code !== 'ENOENT')
      problems.push(`Cannot read ${file}: ${(error as Error).message}.`);
    return [];
  }
  const value = readEnvFile(text, env).PYTHONPATH;
  if (!value) return [];
  return value
    .split(path.delimiter)
    .filter((entry) => entry !== '')
    .map((entry) => path.resolve(path.dirname(file), entry));
}

/** KEY=value lines, `export ` allowed, quotes stripped, # comments, ${VAR} from earlier lines or the environment. */
export function readEnvFile(text: string, env: NodeJS.ProcessEnv): Record<string, string> {
  const values: Record<string, string> = {};
  for (const line of text.split(/\r?\n/)) {
    const match = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_.]*)\s*=\s*(.*)$/.exec(line);
    if (!match) continue;
    let value = match[2]!.trim();
    const quote = value[0];
    if ((quote === '"' || quote === "'") && value.indexOf(quote, 1) > 0) {
      value = value.slice(1, value.indexOf(quote, 1));
      if (quote === "'") {
        values[match[1]!] = value;
        continue;
      }
    } else {
      value = value.replace(/\s+#.*$/, '');
    }
    values[match[1]!] = value.replace(
      /\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g,
      (_, name: string) => values[name] ?? env[name] ?? '',
    );
  }
  return values;
}

/** pytest's `pythonpath` ini option from pyproject.toml, relative to the file's folder (pytest's rootdir). */
export function pytestPythonPath(file: string, problems: string[]): string[] {
  let parsed: unknown;
  try {
    parsed = parseToml(readFileSync(file, 'utf8'));
  } catch (error) {
    problems.push(`Cannot read ${file}: ${(error as Error).message.split('\n')[0]}`);
    return [];
  }
  const tool = (parsed as { tool?: { pytest?: { ini_options?: { pythonpath?: unknown } } } }).tool;
  const value = tool?.pytest?.ini_options?.pythonpath;
  const list = typeof value === 'string' ? value.split(/\s+/) : Array.isArray(value) ? value : [];
  return list
    .filter((entry): entry is string => typeof entry === 'string' && entry !== '')
    .map((entry) => path.resolve(path.dirname(file), entry));
}
