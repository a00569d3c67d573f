// Python functions: module-level defs (decorated and conditional ones too) are offered; async defs, methods and
// nested defs are listed with the reason a process pool cannot run them.
import type { Node, Parser } from 'web-tree-sitter';
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

/**
 * Walks only where definitions can be: module statements, class bodies, and the statements directly in a
 * module-level function's body (its nested defs). Crossing into wasm per node is what costs, so no full-tree walk.
 */
function collect(block: Node, scope: Scope, lines: string[], found: DiscoveredFunction[]): void {
  for (const statement of block.namedChildren) {
    if (!statement) continue;
    const definition =
      statement.type === 'decorated_definition' ? statement.childForFieldName('definition') : statement;
    if (!definition) continue;
    if (definition.type === 'function_definition') {
      const described = describe(definition, statement, scope, lines);
      if (described) found.push(described);
      const body = scope === 'module' ? definition.childForFieldName('body') : null;
      if (body) collect(body, 'function', lines, found);
    } else if (definition.type === 'class_definition' && scope === 'module') {
      const body = definition.childForFieldName('body');
      if (body) collect(body, 'class', lines, found);
    } else if (scope === 'module' && COMPOUND.has(statement.type)) {
      for (const part of statement.namedChildren) {
        if (part && (part.type === 'block' || COMPOUND.has(part.type))) collect(part, 'module', lines, found);
      }
    } else if (scope === 'module' && statement.type === 'block') {
      collect(statement, 'module', lines, found);
    }
  }
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
    const collected: DiscoveredFunction[] = [];
    collect(tree.rootNode, 'module', lines, collected);
    const found = collected.filter((fn) => !inBroken(fn.line));
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

function describe(node: Node, outer: Node, scope: Scope, lines: string[]): DiscoveredFunction | null {
  const name = node.childForFieldName('name')?.text;
  if (!name) return null;
  // Indentation decides in Python: a def in column 0 is module-level even where error recovery nested it.
  const enclosing = outer.startPosition.column === 0 ? 'module' : scope;
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
