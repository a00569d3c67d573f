// The structured-clone calibration: v8.serialize/deserialize time and bytes of a sample of the arguments and
// of the serial warm-up's results, which is what every piscina task pays to cross a thread boundary. A
// SharedArrayBuffer is shared, not copied, when it crosses: it counts as its reference, and since node:v8 cannot
// deserialize one, a value holding one is received through a MessagePort, the way piscina receives it.
import { DefaultSerializer, deserialize } from 'node:v8';
import { MessageChannel, receiveMessageOnPort } from 'node:worker_threads';
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
    const one = roundTrip(item);
    serializeMs += one.serializeMs;
    deserializeMs += one.deserializeMs;
    bytes += one.bytes;
  }
  const n = items.length;
  return {
    serialize: serializeMs / 1000 / n,
    deserialize: deserializeMs / 1000 / n,
    bytes: bytes / n,
    count: n,
  };
}

/** v8's serializer, with each SharedArrayBuffer written as an id (as postMessage does) instead of refused. */
class SharingSerializer extends DefaultSerializer {
  shared = 0;
  _getSharedArrayBufferId(): number {
    return this.shared++;
  }
}

function roundTrip(item: unknown): { serializeMs: number; deserializeMs: number; bytes: number } {
  const t0 = performance.now();
  const serializer = new SharingSerializer();
  serializer.writeHeader();
  serializer.writeValue(item);
  const buffer = serializer.releaseBuffer();
  const t1 = performance.now();
  const deserializeMs = serializer.shared === 0 ? timed(() => deserialize(buffer)) : receiveTime(item);
  return { serializeMs: t1 - t0, deserializeMs, bytes: buffer.length };
}

function timed(action: () => unknown): number {
  const t0 = performance.now();
  action();
  return performance.now() - t0;
}

/** How long receiving the value through a MessagePort takes: the deserializing half of postMessage. */
function receiveTime(item: unknown): number {
  const { port1, port2 } = new MessageChannel();
  try {
    port1.postMessage(item);
    return timed(() => receiveMessageOnPort(port2));
  } finally {
    port1.close();
  }
}
