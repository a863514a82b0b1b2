/** When a cron schedule fires next, in a time zone, through node-cron (the scheduler the daemon runs). */
import { createTask } from 'node-cron';

/** The next `count` times `expression` fires in `timeZone`, soonest first. */
export function nextRuns(expression: string, timeZone: string, count: number): Date[] {
  const task = createTask(expression, () => undefined, { timezone: timeZone });
  try {
    return task.getNextRuns(count);
  } finally {
    void task.destroy();
  }
}
