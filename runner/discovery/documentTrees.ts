// Parse trees of the open documents, kept so each edit is parsed incrementally: the edit is found by comparing
// the old and new text (common prefix and suffix), which is cheap next to parsing a whole large file again.
import { Edit, type Point, type Tree } from 'web-tree-sitter';
import type { DiscoveredFunction } from '../../protocol/lsp';
import type { Language } from '../../protocol/report';
import { grammarFor, type GrammarName, type Grammars } from './grammars';
import { javaScriptFunctionsInTree } from './javascript';
import { pythonFunctionsInTree } from './python';

interface Kept {
  grammar: GrammarName;
  text: string;
  tree: Tree;
}

export class DocumentTrees {
  private readonly kept = new Map<string, Kept>();

  constructor(private readonly grammars: Grammars) {}

  async discover(uri: string, language: Language, text: string): Promise<DiscoveredFunction[]> {
    const grammar = grammarFor(language, uri);
    const parser = await this.grammars.parser(grammar);
    const previous = this.kept.get(uri);
    const old = previous?.grammar === grammar ? previous : undefined;
    if (old && old.text !== text) old.tree.edit(editBetween(old.text, text));
    const tree = old && old.text === text ? old.tree : parser.parse(text, old?.tree ?? null);
    if (!tree) throw new Error(`the ${grammar} parser returned no tree for ${uri}`);
    if (previous && previous.tree !== tree) previous.tree.delete();
    this.kept.set(uri, { grammar, text, tree });
    return language === 'python'
      ? pythonFunctionsInTree(parser, tree, text)
      : javaScriptFunctionsInTree(tree, text);
  }

  forget(uri: string): void {
    this.kept.get(uri)?.tree.delete();
    this.kept.delete(uri);
  }
}

/** The one edit that turns `before` into `after`: everything between their common prefix and common suffix. */
export function editBetween(before: string, after: string): Edit {
  let start = 0;
  const shorter = Math.min(before.length, after.length);
  while (start < shorter && before.charCodeAt(start) === after.charCodeAt(start)) start += 1;
  let suffix = 0;
  while (
    suffix < shorter - start &&
    before.charCodeAt(before.length - 1 - suffix) === after.charCodeAt(after.length - 1 - suffix)
  ) {
    suffix += 1;
  }
  const startPosition = pointAt(before, start);
  return new Edit({
    startIndex: start,
    oldEndIndex: before.length - suffix,
    newEndIndex: after.length - suffix,
    startPosition,
    oldEndPosition: pointAt(before, before.length - suffix, start, startPosition),
    newEndPosition: pointAt(after, after.length - suffix, start, startPosition),
  });
}

/** Row and column of a character index, counting on from a known point before it. */
function pointAt(text: string, index: number, from = 0, fromPoint: Point = { row: 0, column: 0 }): Point {
  let row = fromPoint.row;
  let lineStart = from - fromPoint.column;
  for (
    let newline = text.indexOf('\n', from);
    newline !== -1 && newline < index;
    newline = text.indexOf('\n', newline + 1)
  ) {
    row += 1;
    lineStart = newline + 1;
  }
  return { row, column: index - lineStart };
}
