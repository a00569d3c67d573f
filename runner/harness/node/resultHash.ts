// sha256 over a canonical form of the returned values: equal values hash equally whatever thread made them.
// Only what structured cloning keeps is hashed (own enumerable properties, not prototypes), so a result
// hashes the same before and after it crosses to the harness; object keys, Set elements and Map entries are
// sorted, so insertion order does not matter.
import { createHash, type Hash } from 'node:crypto';

export function resultHash(values: readonly unknown[]): string {
  const digest = createHash('sha256');
  feed(digest, values, new Set());
  return digest.digest('hex');
}

function canonical(value: unknown, active: Set<object>): string {
  const digest = createHash('sha256');
  feed(digest, value, active);
  return digest.digest('hex');
}

function tagged(digest: Hash, tag: string, text: string): void {
  digest.update(`${tag}${text.length}:${text}`);
}

function feed(digest: Hash, value: unknown, active: Set<object>): void {
  switch (typeof value) {
    case 'undefined':
      digest.update('u');
      return;
    case 'boolean':
      digest.update(value ? 'T' : 'F');
      return;
    case 'number':
      tagged(digest, 'n', Object.is(value, -0) ? '-0' : String(value));
      return;
    case 'bigint':
      tagged(digest, 'i', value.toString());
      return;
    case 'string':
      tagged(digest, 's', value);
      return;
    case 'symbol':
    case 'function':
      tagged(digest, 'x', String(value));
      return;
  }
  if (value === null) {
    digest.update('N');
    return;
  }
  const object = value as object;
  if (active.has(object)) {
    digest.update('R'); // a cycle: the same container again
    return;
  }
  active.add(object);
  try {
    feedObject(digest, object, active);
  } finally {
    active.delete(object);
  }
}

function feedObject(digest: Hash, object: object, active: Set<object>): void {
  if (Array.isArray(object)) {
    digest.update(`a${object.length}[`);
    for (const item of object) feed(digest, item, active);
    digest.update(']');
  } else if (ArrayBuffer.isView(object)) {
    const bytes = new Uint8Array(object.buffer, object.byteOffset, object.byteLength);
    digest.update(`v${object.constructor.name}${bytes.length}:`);
    digest.update(bytes);
  } else if (object instanceof ArrayBuffer || object instanceof SharedArrayBuffer) {
    digest.update(`B${object.byteLength}:`);
    digest.update(new Uint8Array(object));
  } else if (object instanceof Date) {
    tagged(digest, 'd', String(object.getTime()));
  } else if (object instanceof RegExp) {
    tagged(digest, 'r', String(object));
  } else if (object instanceof Map) {
    const entries = [...object].map(([k, v]) => canonical(k, active) + canonical(v, active)).sort();
    digest.update(`m${entries.length}[${entries.join(',')}]`);
  } else if (object instanceof Set) {
    const items = [...object].map((item) => canonical(item, active)).sort();
    digest.update(`S${items.length}[${items.join(',')}]`);
  } else if (object instanceof Error) {
    tagged(digest, 'e', `${object.name}: ${object.message}`);
  } else if (object instanceof Number || object instanceof String || object instanceof Boolean) {
    feed(digest, object.valueOf(), active);
  } else {
    const keys = Object.keys(object).sort();
    digest.update(`o${keys.length}{`);
    for (const key of keys) {
      tagged(digest, 'k', key);
      feed(digest, (object as Record<string, unknown>)[key], active);
    }
    digest.update('}');
  }
}
