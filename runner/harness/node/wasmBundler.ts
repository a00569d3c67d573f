// The worker thread that bundles a target with esbuild's WebAssembly build, for installs without esbuild's native
// binary (the .vsix ships esbuild.wasm: one portable file instead of a binary per platform). The browser flavour
// of esbuild-wasm runs the module in this thread, where its Go runtime's globals stay; the harness ends the
// thread when the answer is in.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parentPort, workerData } from 'node:worker_threads';
import { bundle, type BundleRequest, type EsbuildApi } from './bundle';

/** esbuild.wasm sits beside this file in dist/ (copied there by the build). */
export const WASM_FILE = path.join(__dirname, 'esbuild.wasm');

export type WasmAnswer = { ok: true; code: string } | { ok: false; errors: unknown[]; message: string };

async function run(request: BundleRequest): Promise<WasmAnswer> {
  // The Go runtime esbuild.wasm is built with looks for the global object under its browser name.
  (globalThis as { self?: unknown }).self ??= globalThis;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const esbuild = require('esbuild-wasm/lib/browser.js') as EsbuildApi & {
    initialize(options: { wasmModule: WebAssembly.Module; worker: boolean }): Promise<void>;
  };
  const wasmModule = await WebAssembly.compile(readFileSync(WASM_FILE));
  await esbuild.initialize({ wasmModule, worker: false });
  try {
    return { ok: true, code: await bundle(esbuild, request) };
  } catch (error) {
    const errors = (error as { errors?: unknown[] }).errors ?? [];
    return { ok: false, errors, message: (error as Error).message };
  }
}

if (parentPort) {
  const port = parentPort;
  run(workerData as BundleRequest).then(
    (answer) => port.postMessage(answer),
    (error: unknown) =>
      port.postMessage({ ok: false, errors: [], message: (error as Error).message } satisfies WasmAnswer),
  );
}
