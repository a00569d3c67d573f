// Which language a file is in, from its name or from the editor's language id.
import type { Language } from '../../protocol/report';

const BY_EXTENSION: Record<string, Language> = {
  '.py': 'python',
  '.pyw': 'python',
  '.js': 'javascript',
  '.mjs': 'javascript',
  '.cjs': 'javascript',
  '.jsx': 'javascript',
  '.ts': 'typescript',
  '.mts': 'typescript',
  '.cts': 'typescript',
  '.tsx': 'typescript',
};

const BY_LANGUAGE_ID: Record<string, Language> = {
  python: 'python',
  javascript: 'javascript',
  javascriptreact: 'javascript',
  typescript: 'typescript',
  typescriptreact: 'typescript',
};

export function languageOfFile(file: string): Language | null {
  const dot = file.lastIndexOf('.');
  return dot < 0 ? null : (BY_EXTENSION[file.slice(dot).toLowerCase()] ?? null);
}

export function languageOfId(languageId: string): Language | null {
  return BY_LANGUAGE_ID[languageId] ?? null;
}
