// Python functions: module-level defs (decorated and conditional ones too) are offered; async defs, methods and
// nested defs are listed with the reason a process pool cannot run them.
import { Query, type Node, type Parser } from 'web-tree-sitter';
import type { DiscoveredFunction } from '../../protocol/lsp';
import { PYTHON_COMMENT, inputsAbove } from './inputsComment';

const queries = new WeakMap<Parser, Query>();

function definitionsQuery(parser: Parser): Query {
  let query = queries.get(parser);
  if (!query) {
    if (!parser.language) throw new Error('the Python parser has no grammar set');
    query = new Query(parser.language, '(function_definition) @def');
    queries.set(parser, query);
  }
  return query;
}

export function discoverPython(parser: Parser, source: string, recover = true): DiscoveredFunction[] {
  const tree = parser.parse(source);
  if (!tree) return [];
  try {
    const lines = source.split('\n');
    const broken = recover
      ? tree.rootNode.namedChildren
          .filter((child): child is Node => child?.type === 'ERROR')
          .map((child) => ({ first: child.startPosition.row, last: child.endPosition.row }))
      : [];
    const inBroken = (line: number): boolean =>
      broken.some(({ first, last }) => line >= first && line <= last);
    const found = definitionsQuery(parser)
      .captures(tree.rootNode)
      .map(({ node }) => describe(node, lines))
      .filter((fn): fn is DiscoveredFunction => fn !== null && !inBroken(fn.line));
    for (const region of broken) found.push(...recoverRegion(parser, lines, region.first, region.last));
    return found.sort((a, b) => a.line - b.line);
  } finally {
    tree.delete();
  }
}

/**
 * Error recovery can swallow the rest of a file into one ERROR node. Python's own rule still holds there: a line
 * in column 0 starts a module-level statement, so each such statement is parsed on its own and what parses counts.
 */
function recoverRegion(parser: Parser, lines: string[], first: number, last: number): DiscoveredFunction[] {
  const starts: number[] = [];
  for (let line = first; line <= last; line += 1) {
    const text = lines[line] ?? '';
    if (/^[^\s#]/.test(text) && !/^[)\]}]/.test(text)) starts.push(line);
  }
  const found: DiscoveredFunction[] = [];
  for (const [index, start] of starts.entries()) {
    const end = index + 1 < starts.length ? (starts[index + 1] ?? last + 1) : last + 1;
    const chunk = lines.slice(start, end).join('\n');
    for (const fn of discoverPython(parser, chunk, false)) {
      const inputs = fn.line === 0 ? inputsAbove(lines, start, PYTHON_COMMENT) : fn.inputs;
      found.push({
        ...fn,
        line: fn.line + start,
        endLine: fn.endLine + start,
        ...(inputs ? { inputs } : {}),
      });
    }
  }
  return found;
}

function describe(node: Node, lines: string[]): DiscoveredFunction | null {
  const name = node.childForFieldName('name')?.text;
  if (!name) return null;
  const outer = node.parent?.type === 'decorated_definition' ? node.parent : node;
  const enclosing = enclosingScope(outer);
  const isAsync = node.children[0]?.type === 'async';
  const base = {
    name,
    line: outer.startPosition.row,
    character: outer.startPosition.column,
    endLine: node.endPosition.row,
  };
  if (enclosing === 'class') {
    return {
      ...base,
      kind: 'method',
      profilable: false,
      reason: 'a method: pools call module-level functions',
    };
  }
  if (enclosing === 'function') {
    return {
      ...base,
      kind: 'nested-function',
      profilable: false,
      reason: 'a nested function: worker processes cannot import it by name',
    };
  }
  const inputs = inputsAbove(lines, base.line, PYTHON_COMMENT);
  if (isAsync) {
    return {
      ...base,
      kind: 'async-function',
      profilable: false,
      reason: 'an async function: pools would only collect coroutines',
      ...(inputs ? { inputs } : {}),
    };
  }
  return { ...base, kind: 'function', profilable: true, ...(inputs ? { inputs } : {}) };
}

/** The nearest scope around a definition: the module (also through if/try blocks and parse errors), a class, a def. */
function enclosingScope(node: Node): 'module' | 'class' | 'function' {
  // Indentation decides in Python: a def in column 0 is module-level even where error recovery nested it.
  if (node.startPosition.column === 0) return 'module';
  for (let parent = node.parent; parent; parent = parent.parent) {
    if (parent.type === 'class_definition') return 'class';
    if (parent.type === 'function_definition' || parent.type === 'lambda') return 'function';
  }
  return 'module';
}
