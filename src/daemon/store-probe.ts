/** Whether the open store still answers (a PostgreSQL server can go away under a running daemon). */
import type { StateStore } from '../store/types.js';

/** Null when a cheap read answers within `timeoutMs`; else why not, without connection details. */
export async function storeProblem(store: StateStore, timeoutMs = 2_000): Promise<string | null> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<string>((resolve) => {
    timer = setTimeout(() => resolve(`no answer within ${timeoutMs} ms`), timeoutMs);
  });
  try {
    return await Promise.race([
      store.countOpen().then(
        () => null,
        (error: unknown) => describe(error),
      ),
      late,
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/** The error's code (ECONNREFUSED, 57P01, …) when it has one, else its first line. */
function describe(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && code !== '') return code;
  return (error instanceof Error ? error.message : String(error)).split('\n')[0]?.slice(0, 200) ?? 'unknown error';
}
