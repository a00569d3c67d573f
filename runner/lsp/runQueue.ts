// Runs profiles one at a time: two profiles at once would disturb each other's timings.
export class RunQueue {
  private tail: Promise<unknown> = Promise.resolve();
  private waiting = 0;

  /** Runs `job` after every job queued before it, whether they succeeded or not. */
  enqueue<T>(job: () => Promise<T>): Promise<T> {
    this.waiting += 1;
    const result = this.tail.then(
      () => {
        this.waiting -= 1;
        return job();
      },
      () => {
        this.waiting -= 1;
        return job();
      },
    );
    this.tail = result.catch(() => undefined);
    return result;
  }

  get pending(): number {
    return this.waiting;
  }
}
