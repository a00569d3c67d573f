// JavaScript and TypeScript functions: what the module exports (function declarations, arrow and function
// expressions, `export { a as b }`, default exports, CommonJS exports) is offered; module-level functions that
// are not exported and class methods are listed with the reason the harness cannot call them.
import type { Node, Parser, Tree } from 'web-tree-sitter';
import type { DiscoveredFunction, FunctionKind } from '../../protocol/lsp';
import { JS_COMMENT, inputsAbove } from './inputsComment';

const FUNCTION_VALUES = new Set(['arrow_function', 'function_expression', 'function', 'generator_function']);
const FUNCTION_DECLARATIONS = new Set(['function_declaration', 'generator_function_declaration']);

interface Found {
  /** The statement the lens goes above (the export statement, or the declaration itself). */
  statement: Node;
  /** The function node, for async and the end line. */
  fn: Node;
}

export function discoverJavaScript(parser: Parser, source: string): DiscoveredFunction[] {
  const tree = parser.parse(source);
  if (!tree) return [];
  try {
    return javaScriptFunctionsInTree(tree, source);
  } finally {
    tree.delete();
  }
}

/** The functions in a parsed file; the tree stays the caller's. */
export function javaScriptFunctionsInTree(tree: Tree, source: string): DiscoveredFunction[] {
  {
    const lines = source.split('\n');
    const exported: DiscoveredFunction[] = [];
    const locals = new Map<string, Found>();
    const exportedLocals: { local: string; name: string }[] = [];
    const others: DiscoveredFunction[] = [];
    const offer = (name: string, found: Found): void => {
      exported.push(describe(name, found, lines));
    };

    for (const statement of tree.rootNode.namedChildren) {
      if (!statement) continue;
      switch (statement.type) {
        case 'export_statement':
          readExport(statement, offer, exportedLocals, others, lines);
          break;
        case 'function_declaration':
        case 'generator_function_declaration': {
          const name = statement.childForFieldName('name')?.text;
          if (name) locals.set(name, { statement, fn: statement });
          break;
        }
        case 'lexical_declaration':
        case 'variable_declaration':
          for (const [name, fn] of declaredFunctions(statement)) locals.set(name, { statement, fn });
          break;
        case 'expression_statement':
          readCommonJs(statement, offer, exportedLocals, locals);
          break;
        case 'class_declaration':
          others.push(...methods(statement, lines));
          break;
      }
    }

    const offeredLocals = new Set<string>();
    for (const { local, name } of exportedLocals) {
      const found = locals.get(local);
      if (!found) continue;
      offeredLocals.add(local);
      offer(name, found);
    }
    for (const [name, found] of locals) {
      if (offeredLocals.has(name)) continue;
      others.push({
        ...describe(name, found, lines),
        profilable: false,
        reason: 'not exported: the harness calls what the module exports',
      });
    }
    return [...exported, ...others].sort((a, b) => a.line - b.line);
  }
}

function readExport(
  statement: Node,
  offer: (name: string, found: Found) => void,
  exportedLocals: { local: string; name: string }[],
  others: DiscoveredFunction[],
  lines: string[],
): void {
  const isDefault = statement.children.some((child) => child?.type === 'default');
  const declaration = statement.childForFieldName('declaration');
  const value = statement.childForFieldName('value');
  if (declaration && FUNCTION_DECLARATIONS.has(declaration.type)) {
    const name = isDefault ? 'default' : declaration.childForFieldName('name')?.text;
    if (name) offer(name, { statement, fn: declaration });
  } else if (
    declaration &&
    (declaration.type === 'lexical_declaration' || declaration.type === 'variable_declaration')
  ) {
    for (const [name, fn] of declaredFunctions(declaration)) offer(name, { statement, fn });
  } else if (declaration?.type === 'class_declaration') {
    others.push(...methods(declaration, lines));
  } else if (isDefault && value && FUNCTION_VALUES.has(value.type)) {
    offer('default', { statement, fn: value });
  } else if (isDefault && value?.type === 'identifier') {
    exportedLocals.push({ local: value.text, name: 'default' });
  }
  const clause = statement.namedChildren.find((child) => child?.type === 'export_clause');
  if (clause && !statement.childForFieldName('source')) {
    for (const specifier of clause.namedChildren) {
      const local = specifier?.childForFieldName('name')?.text;
      if (!specifier || !local) continue;
      exportedLocals.push({ local, name: specifier.childForFieldName('alias')?.text ?? local });
    }
  }
}

/** `module.exports = f`, `module.exports = { f, g: h }`, `exports.f = function () {}`. */
function readCommonJs(
  statement: Node,
  offer: (name: string, found: Found) => void,
  exportedLocals: { local: string; name: string }[],
  locals: Map<string, Found>,
): void {
  const assignment = statement.namedChildren[0];
  if (assignment?.type !== 'assignment_expression') return;
  const left = assignment.childForFieldName('left')?.text.replace(/\s+/g, '');
  const right = assignment.childForFieldName('right');
  if (!left || !right) return;
  if (left === 'module.exports') {
    if (FUNCTION_VALUES.has(right.type)) offer('default', { statement, fn: right });
    else if (right.type === 'identifier') exportedLocals.push({ local: right.text, name: 'default' });
    else if (right.type === 'object') {
      for (const property of right.namedChildren) {
        if (property?.type === 'shorthand_property_identifier') {
          exportedLocals.push({ local: property.text, name: property.text });
        } else if (property?.type === 'pair') {
          const key = property.childForFieldName('key')?.text;
          const value = property.childForFieldName('value');
          if (!key || !value) continue;
          if (FUNCTION_VALUES.has(value.type)) offer(key, { statement: property, fn: value });
          else if (value.type === 'identifier' && locals.has(value.text)) {
            exportedLocals.push({ local: value.text, name: key });
          }
        }
      }
    }
    return;
  }
  const member = /^(?:module\.)?exports\.([\w$]+)$/.exec(left);
  if (!member?.[1]) return;
  if (FUNCTION_VALUES.has(right.type)) offer(member[1], { statement, fn: right });
  else if (right.type === 'identifier') exportedLocals.push({ local: right.text, name: member[1] });
}

/** `const f = (x) => ...`, `let g = function () {}`: the names bound to function values. */
function declaredFunctions(declaration: Node): [string, Node][] {
  const found: [string, Node][] = [];
  for (const declarator of declaration.namedChildren) {
    if (declarator?.type !== 'variable_declarator') continue;
    const name = declarator.childForFieldName('name');
    const value = declarator.childForFieldName('value');
    if (name?.type === 'identifier' && value && FUNCTION_VALUES.has(value.type))
      found.push([name.text, value]);
  }
  return found;
}

function methods(declaration: Node, lines: string[]): DiscoveredFunction[] {
  const body = declaration.childForFieldName('body');
  const className = declaration.childForFieldName('name')?.text ?? 'class';
  return (body?.namedChildren ?? [])
    .filter((member): member is Node => member?.type === 'method_definition')
    .map((member) => ({
      ...describe(
        `${className}.${member.childForFieldName('name')?.text ?? '?'}`,
        { statement: member, fn: member },
        lines,
      ),
      kind: 'method' as const,
      profilable: false,
      reason: 'a method: the harness calls exported functions',
    }));
}

function describe(name: string, { statement, fn }: Found, lines: string[]): DiscoveredFunction {
  const isAsync = fn.children.some((child) => child?.type === 'async');
  const kind: FunctionKind = isAsync
    ? 'async-function'
    : fn.type === 'arrow_function'
      ? 'arrow-function'
      : 'function';
  const line = statement.startPosition.row;
  const inputs = inputsAbove(lines, line, JS_COMMENT);
  return {
    name,
    kind,
    line,
    character: statement.startPosition.column,
    endLine: statement.endPosition.row,
    profilable: true,
    ...(inputs ? { inputs } : {}),
  };
}
