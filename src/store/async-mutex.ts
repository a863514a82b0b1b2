/**
 * A first-come, first-served async lock. better-sqlite3 is synchronous, so an async transaction
 * must keep every other caller out until it commits; the same lock serialises calls made through
 * one transaction handle, so a savepoint is never interleaved with its siblings.
 */
export class AsyncMutex {
  private tail: Promise<unknown> = Promise.resolve();

  /** Runs `task` once every earlier task has settled; the lock is held until `task` settles. */
  run<T>(task: () => Promise<T>): Promise<T> {
    const result = this.tail.then(task);
    // The next task waits for this one to settle, whether it fulfils or rejects.
    this.tail = result.then(
      () => undefined,
      () => undefined,
    );
    return result;
  }
}
