// The input-size sweep (--sizes, --weak): which input sizes and worker counts each measurement gets, and the
// inputs expression with `n` bound to the size in the target's language.
import os from 'node:os';
import type { ProfileOptions } from '../../protocol/profile';
import { LANGUAGES, type Language } from '../../protocol/languages';
import { defaultWorkers } from './configPlan';

/** One measurement of a target: all of it at one size, or one worker count of a weak-scaling series. */
export interface SizeVariant {
  /** The n of the sweep; null without --sizes. */
  inputSize: number | null;
  /** The inputs expression for the harness: the user's, with `n` bound where there is a size. */
  inputs: string | null;
  workers: number[] | null;
}

/**
 * The expression evaluated with `n` = size in the module's scope: a lambda (Python) or an arrow function (JS) the
 * expression is the body of, so comprehensions and closures inside it see `n` too. The line breaks keep a
 * trailing comment of the user's from swallowing the closing parenthesis.
 */
export function inputsAtSize(language: Language, expression: string, size: number): string {
  return LANGUAGES[language].runtime === 'python'
    ? `(lambda n: (\n${expression}\n))(${size})`
    : `((n) => (\n${expression}\n))(${size})`;
}

/**
 * The measurements of one target. Strong scaling: every worker count at each size. Weak scaling: worker count k
 * at n = k x n0, n0 the smallest size, k = 1 always among them (T(1, n0) is what the scaled speedup divides).
 */
export function sizeVariants(options: ProfileOptions, language: Language): SizeVariant[] {
  const sizes = options.sizes ?? [];
  if (sizes.length === 0) return [{ inputSize: null, inputs: options.inputs, workers: options.workers }];
  const expression = options.inputs ?? LANGUAGES[language].defaultInputs;
  const at = (size: number): string => inputsAtSize(language, expression, size);
  if (!options.weak)
    return sizes.map((size) => ({ inputSize: size, inputs: at(size), workers: options.workers }));
  const base = Math.min(...sizes);
  const counts = [...new Set([1, ...(options.workers ?? defaultWorkers(os.availableParallelism()))])].sort(
    (a, b) => a - b,
  );
  return counts.map((k) => ({ inputSize: k * base, inputs: at(k * base), workers: [k] }));
}
