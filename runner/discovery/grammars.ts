// Loads web-tree-sitter and the wasm grammars shipped with the package (dist/grammars), each once per process.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { Language as Grammar, Parser } from 'web-tree-sitter';
import type { Language } from '../../protocol/report';
import { packageRoot } from '../profile/packageRoot';

const GRAMMAR_FILES = {
  python: 'tree-sitter-python.wasm',
  javascript: 'tree-sitter-javascript.wasm',
  typescript: 'tree-sitter-typescript.wasm',
  tsx: 'tree-sitter-tsx.wasm',
} as const;
export type GrammarName = keyof typeof GRAMMAR_FILES;

/** The built package ships dist/grammars; from the sources (tests) the npm packages hold the same files. */
function locate(file: string): string {
  const root = packageRoot();
  const candidates = [
    path.join(root, 'dist', 'grammars', file),
    path.join(root, 'node_modules', '@vscode', 'tree-sitter-wasm', 'wasm', file),
    path.join(root, 'node_modules', 'web-tree-sitter', file),
  ];
  const found = candidates.find((candidate) => existsSync(candidate));
  if (!found) throw new Error(`the parser file ${file} is missing; looked in ${candidates.join(', ')}`);
  return found;
}

let sharedGrammars: Promise<Grammars> | undefined;

/** The tree-sitter runtime, with each grammar loaded the first time a file of its language is seen (memory). */
export class Grammars {
  private readonly parsers = new Map<GrammarName, Promise<Parser>>();

  private constructor() {}

  static async load(): Promise<Grammars> {
    await Parser.init({ locateFile: () => locate('web-tree-sitter.wasm') });
    return new Grammars();
  }

  /** The process's one runtime, loaded on first use: the server's discovery and the notebook builder share it. */
  static shared(): Promise<Grammars> {
    sharedGrammars ??= Grammars.load();
    return sharedGrammars;
  }

  parser(name: GrammarName): Promise<Parser> {
    let parser = this.parsers.get(name);
    if (!parser) {
      parser = Grammar.load(locate(GRAMMAR_FILES[name])).then((grammar) => {
        const created = new Parser();
        created.setLanguage(grammar);
        return created;
      });
      this.parsers.set(name, parser);
    }
    return parser;
  }
}

/** The grammar for a file: TypeScript files with JSX need the tsx grammar. */
export function grammarFor(language: Language, file: string): GrammarName {
  if (language !== 'typescript') return language;
  return file.endsWith('.tsx') ? 'tsx' : 'typescript';
}
