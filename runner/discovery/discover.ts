// Function discovery for one file's text: picks the grammar and the language's rules.
import type { DiscoveredFunction } from '../../protocol/lsp';
import type { Language } from '../../protocol/report';
import { grammarFor, type Grammars } from './grammars';
import { discoverJavaScript } from './javascript';
import { discoverPython } from './python';

export async function discoverFunctions(
  grammars: Grammars,
  language: Language,
  file: string,
  source: string,
): Promise<DiscoveredFunction[]> {
  const parser = await grammars.parser(grammarFor(language, file));
  return language === 'python' ? discoverPython(parser, source) : discoverJavaScript(parser, source);
}
