// Keeps the head and the tail of a stream that may be megabytes long, and counts every byte.
export class BoundedOutput {
  private head = '';
  private tailChunks: string[] = [];
  private tailLength = 0;
  private total = 0;

  constructor(private readonly limit = 16 * 1024) {}

  push(chunk: Buffer): void {
    this.total += chunk.length;
    let text = chunk.toString('utf8');
    if (this.head.length < this.limit) {
      const room = this.limit - this.head.length;
      this.head += text.slice(0, room);
      text = text.slice(room);
    }
    if (text.length === 0) return;
    this.tailChunks.push(text);
    this.tailLength += text.length;
    while (this.tailChunks.length > 1 && this.tailLength - this.tailChunks[0]!.length >= this.limit) {
      this.tailLength -= this.tailChunks.shift()!.length;
    }
  }

  get bytes(): number {
    return this.total;
  }

  /** The kept text; where bytes were dropped in the middle, a line says how many. */
  text(): string {
    const tail = this.tailChunks.join('');
    const keptTail = tail.slice(Math.max(0, tail.length - this.limit));
    const dropped = this.total - Buffer.byteLength(this.head) - Buffer.byteLength(keptTail);
    if (dropped <= 0) return this.head + keptTail;
    return `${this.head}\n[... ${dropped} bytes not kept ...]\n${keptTail}`;
  }

  /** The last `chars` characters, for error messages. */
  last(chars: number): string {
    const all = this.tailChunks.length > 0 ? this.tailChunks.join('') : this.head;
    return all.slice(Math.max(0, all.length - chars));
  }
}
