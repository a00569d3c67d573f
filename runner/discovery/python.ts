// Python functions: module-level defs (decorated and conditional ones too) are offered; async defs, methods and
// nested defs are listed with the reason a process pool cannot run them.
import type { Node, Parser, Point, Tree, TreeCursor } from 'web-tree-sitter';
import type { DiscoveredFunction } from '../../protocol/lsp';
import { PYTHON_COMMENT, inputsAbove } from './inputsComment';

type Scope = 'module' | 'class' | 'function';

/** Statements whose blocks still define module-level names: `if`, `try`, `with` at module level. */
const COMPOUND = new Set([
  'if_statement',
  'try_statement',
  'with_statement',
  'elif_clause',
  'else_clause',
  'except_clause',
  'finally_clause',
]);

const DEF_NAME = /(?:async\s+)?def\s+([\p{L}_][\p{L}\p{N}_]*)/uy;

interface Walk {
  source: string;
  lines: string[];
  found: DiscoveredFunction[];
}

/**
 * Walks with one cursor, only where definitions can be: module statements (also inside module-level if/try/with),
 * class bodies, and the bodies of module-level functions that contain a nested def. Every step into the wasm
 * tree costs, so names and `async` are read from the source text and no Node objects are made.
 */
function collect(cursor: TreeCursor, scope: Scope, walk: Walk): void {
  if (!cursor.gotoFirstChild()) return;
  do {
    const type = cursor.nodeType;
    if (type === 'function_definition') {
      definitionAt(cursor, cursor.startPosition, scope, walk);
    } else if (type === 'decorated_definition') {
      const outer = cursor.startPosition;
      if (cursor.gotoFirstChild()) {
        do {
          if (cursor.nodeType === 'function_definition') definitionAt(cursor, outer, scope, walk);
          else if (cursor.nodeType === 'class_definition' && scope === 'module')
            intoBody(cursor, 'class', walk);
        } while (cursor.gotoNextSibling());
        cursor.gotoParent();
      }
    } else if (type === 'class_definition' && scope === 'module') {
      intoBody(cursor, 'class', walk);
    } else if (scope === 'module' && (COMPOUND.has(type) || type === 'block')) {
      collect(cursor, 'module', walk);
    }
  } while (cursor.gotoNextSibling());
  cursor.gotoParent();
}

function definitionAt(cursor: TreeCursor, outer: Point, scope: Scope, walk: Walk): void {
  const { startIndex, endIndex } = cursor;
  DEF_NAME.lastIndex = startIndex;
  const name = DEF_NAME.exec(walk.source)?.[1];
  if (name) {
    const isAsync = walk.source.startsWith('async', startIndex);
    walk.found.push(describe(name, isAsync, outer, cursor.endPosition.row, scope, walk.lines));
  }
  // Nested defs are looked for only where the text has one.
  if (scope === 'module' && /\bdef\s/.test(walk.source.slice(startIndex + 4, endIndex))) {
    intoBody(cursor, 'function', walk);
  }
}

function intoBody(cursor: TreeCursor, scope: Scope, walk: Walk): void {
  if (!cursor.gotoFirstChild()) return;
  do {
    if (cursor.nodeType === 'block') collect(cursor, scope, walk);
  } while (cursor.gotoNextSibling());
  cursor.gotoParent();
}

export function discoverPython(parser: Parser, source: string, recover = true): DiscoveredFunction[] {
  const tree = parser.parse(source);
  if (!tree) return [];
  try {
    return pythonFunctionsInTree(parser, tree, source, recover);
  } finally {
    tree.delete();
  }
}

/** The functions in a parsed file; the tree stays the caller's (the server keeps it for the next, incremental parse). */
export function pythonFunctionsInTree(
  parser: Parser,
  tree: Tree,
  source: string,
  recover = true,
): DiscoveredFunction[] {
  {
    const lines = source.split('\n');
    // Listing the module's children makes a Node per statement: only done when the parse had errors.
    const broken =
      recover && tree.rootNode.hasError
        ? tree.rootNode.namedChildren
            .filter((child): child is Node => child?.type === 'ERROR')
            .map((child) => ({ first: child.startPosition.row, last: child.endPosition.row }))
        : [];
    const inBroken = (line: number): boolean =>
      broken.some(({ first, last }) => line >= first && line <= last);
    const collected: DiscoveredFunction[] = [];
    const cursor = tree.walk();
    try {
      collect(cursor, 'module', { source, lines, found: collected });
    } finally {
      cursor.delete();
    }
    const found = collected.filter((fn) => !inBroken(fn.line));
    for (const region of broken) found.push(...recoverRegion(parser, lines, region.first, region.last));
    return found.sort((a, b) => a.line - b.line);
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

function describe(
  name: string,
  isAsync: boolean,
  outer: Point,
  endLine: number,
  scope: Scope,
  lines: string[],
): DiscoveredFunction {
  // Indentation decides in Python: a def in column 0 is module-level even where error recovery nested it.
  const enclosing = outer.column === 0 ? 'module' : scope;
  const base = { name, line: outer.row, character: outer.column, endLine };
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
