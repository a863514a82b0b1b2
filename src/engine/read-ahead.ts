/**
 * Pages read one ahead: while the cycle works on a page (its writes wait on Partner Center), the
 * next page is already being read, so the source's latency is not added to every page. At most
 * two pages are held. Pages still come out in order, and the cycle still stores a page's cursor
 * only after that page is committed, so a crash re-reads a page, never skips one.
 */
export async function* readAhead<T>(source: AsyncIterable<T>): AsyncGenerator<T> {
  const iterator = source[Symbol.asyncIterator]();
  let next = settle(iterator.next());
  try {
    for (;;) {
      const result = await next;
      if ('error' in result) throw result.error;
      if (result.value.done === true) return;
      next = settle(iterator.next());
      yield result.value.value;
    }
  } finally {
    // The consumer stopped early (a break, an error): let the source release what it holds.
    await iterator.return?.();
  }
}

/** A read whose failure waits until the consumer reaches it, instead of rejecting unheard. */
function settle<R>(promise: Promise<R>): Promise<{ value: R } | { error: unknown }> {
  return promise.then(
    (value) => ({ value }),
    (error: unknown) => ({ error }),
  );
}
