// The languages Amdahl profiles: the file extensions and editor language ids of each, the harness that runs it,
// and the inputs a profile uses when none are given. The CLI, discovery and the extension all read this table.
import { z } from 'zod';

export const Language = z.enum(['python', 'javascript', 'typescript']);
export type Language = z.infer<typeof Language>;

/** The harness process that runs a language's targets. */
export type Runtime = 'python' | 'node';

interface LanguageInfo {
  /** How messages name it: "Python". */
  shownAs: string;
  /** File extensions, lower case with the dot. */
  extensions: readonly string[];
  /** Notebook files whose code cells are in the language: each is profiled as the module its code cells make. */
  notebookExtensions: readonly string[];
  /** VS Code's language ids for its documents. */
  languageIds: readonly string[];
  runtime: Runtime;
  /** The input list when none is given: an expression in the language, evaluated in the target's module. */
  defaultInputs: string;
}

const JS_DEFAULT_INPUTS = 'Array.from({length: 10}, (_, i) => i)';

export const LANGUAGES = {
  python: {
    shownAs: 'Python',
    extensions: ['.py', '.pyw'],
    notebookExtensions: ['.ipynb'],
    languageIds: ['python'],
    runtime: 'python',
    defaultInputs: 'range(10)',
  },
  javascript: {
    shownAs: 'JavaScript',
    extensions: ['.js', '.mjs', '.cjs', '.jsx'],
    notebookExtensions: [],
    languageIds: ['javascript', 'javascriptreact'],
    runtime: 'node',
    defaultInputs: JS_DEFAULT_INPUTS,
  },
  typescript: {
    shownAs: 'TypeScript',
    extensions: ['.ts', '.mts', '.cts', '.tsx'],
    notebookExtensions: [],
    languageIds: ['typescript', 'typescriptreact'],
    runtime: 'node',
    defaultInputs: JS_DEFAULT_INPUTS,
  },
} as const satisfies Record<Language, LanguageInfo>;

const ALL: readonly Language[] = Language.options;

/** The extension of a file name (lower case, with the dot), or '' when it has none. */
function extensionOf(file: string): string {
  const name = file.slice(Math.max(file.lastIndexOf('/'), file.lastIndexOf('\\')) + 1);
  const dot = name.lastIndexOf('.');
  return dot <= 0 ? '' : name.slice(dot).toLowerCase();
}

/** The language of a source file, or of a notebook's code cells. */
export function languageOfFile(file: string): Language | null {
  const extension = extensionOf(file);
  return (
    ALL.find((language) =>
      ([...LANGUAGES[language].extensions, ...LANGUAGES[language].notebookExtensions] as string[]).includes(
        extension,
      ),
    ) ?? null
  );
}

/** Whether the file is a notebook (.ipynb): its code cells, not its text, are the module. */
export function isNotebookFile(file: string): boolean {
  const extension = extensionOf(file);
  return ALL.some((language) =>
    (LANGUAGES[language].notebookExtensions as readonly string[]).includes(extension),
  );
}

/** The URI scheme of a notebook cell's text document in VS Code; the URI's path is the notebook file's. */
export const NOTEBOOK_CELL_SCHEME = 'vscode-notebook-cell';

export function languageOfId(languageId: string): Language | null {
  return (
    ALL.find((language) => (LANGUAGES[language].languageIds as readonly string[]).includes(languageId)) ??
    null
  );
}

/** Every editor language id Amdahl offers lenses in. */
export const LANGUAGE_IDS: readonly string[] = ALL.flatMap((language) => LANGUAGES[language].languageIds);

/** The language ids of notebook cells Amdahl offers lenses in: those of the languages with notebook files. */
export const NOTEBOOK_LANGUAGE_IDS: readonly string[] = ALL.filter(
  (language) => LANGUAGES[language].notebookExtensions.length > 0,
).flatMap((language) => LANGUAGES[language].languageIds);
