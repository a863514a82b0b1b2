/**
 * When the webhook replay memory deletes the digests it no longer needs. A digest past its
 * `forgetAfter` already counts as forgotten (taking the event again overwrites it), so deleting
 * is only about the table's size: once a minute per store is plenty, and a burst of posts no
 * longer pays a DELETE each.
 */
export const FORGET_EVERY_MS = 60_000;

/** Says, for a take at `nowMs`, whether it should also delete the forgotten digests. */
export interface ForgetSchedule {
  due(nowMs: number): boolean;
}

/** One per store: the first take deletes, then one take per `everyMs` of the callers' clock. */
export function forgetSchedule(everyMs: number = FORGET_EVERY_MS): ForgetSchedule {
  let lastMs: number | null = null;
  return {
    due: (nowMs) => {
      // A clock set back only delays the deleting: what is refused never depends on it.
      if (lastMs !== null && nowMs - lastMs < everyMs) return false;
      lastMs = nowMs;
      return true;
    },
  };
}
