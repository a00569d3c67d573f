// The input-size sweep's rules every side applies alike: the CLI's --sizes and the extension's "Profile at sizes".
import { LANGUAGES, type Language } from './languages';

/** `n` as a name of its own in an expression (not `len`, not `n_items`, not `.n`). */
export function usesSizeName(expression: string): boolean {
  return /(^|[^\w$.])n(?![\w$])/.test(expression);
}

/** A comma-separated list of input sizes: positive integers, deduplicated and ascending; or why not. */
export function parseSizes(text: string): { ok: true; sizes: number[] } | { ok: false; error: string } {
  const parts = text
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part !== '');
  const sizes = parts.map((part) => Number(part));
  if (sizes.length === 0 || sizes.some((n) => !Number.isInteger(n) || n < 1)) {
    return {
      ok: false,
      error: `sizes must be a list of positive integers, e.g. 100,1000,10000 (got "${text}")`,
    };
  }
  return { ok: true, sizes: [...new Set(sizes)].sort((a, b) => a - b) };
}

/** The default inputs of a size sweep: the language's default list with n elements. */
export function sizedDefaultInputs(language: Language): string {
  return LANGUAGES[language].runtime === 'python' ? 'range(n)' : 'Array.from({length: n}, (_, i) => i)';
}
