// The structured-clone calibration: v8.serialize/deserialize time and bytes of a sample of the arguments and
// of the serial warm-up's results, which is what every piscina task pays to cross a thread boundary.
import { deserialize, serialize } from 'node:v8';
import type { Calibration } from '../../../protocol/report';

const SAMPLE = 32;

export function calibrate(inputs: unknown[], results: unknown[] | null): Calibration {
  const args = measure(sample(inputs));
  const outs = measure(sample(results ?? []));
  return {
    argumentSerializeSeconds: args.serialize,
    argumentDeserializeSeconds: args.deserialize,
    argumentBytes: args.bytes,
    resultSerializeSeconds: outs.serialize,
    resultDeserializeSeconds: outs.deserialize,
    resultBytes: outs.bytes,
    sampled: Math.max(args.count, outs.count),
  };
}

/** Up to SAMPLE items evenly spread over the list, so both small and large ends are seen. */
function sample<T>(items: T[]): T[] {
  if (items.length <= SAMPLE) return items;
  return Array.from({ length: SAMPLE }, (_, i) => items[Math.floor((i * items.length) / SAMPLE)]!);
}

function measure(items: unknown[]): { serialize: number; deserialize: number; bytes: number; count: number } {
  if (items.length === 0) return { serialize: 0, deserialize: 0, bytes: 0, count: 0 };
  let serializeMs = 0;
  let deserializeMs = 0;
  let bytes = 0;
  for (const item of items) {
    const t0 = performance.now();
    const buffer = serialize(item);
    const t1 = performance.now();
    deserialize(buffer);
    const t2 = performance.now();
    serializeMs += t1 - t0;
    deserializeMs += t2 - t1;
    bytes += buffer.length;
  }
  const n = items.length;
  return {
    serialize: serializeMs / 1000 / n,
    deserialize: deserializeMs / 1000 / n,
    bytes: bytes / n,
    count: n,
  };
}
