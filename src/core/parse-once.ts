/**
 * zod's `safeParse` for input checked once per process (the config file, a mapping file and its
 * rules): without the compiled fast path, which builds a `new Function` per object schema on first
 * use and costs more than it saves on a single parse (config check 129 -> 122 ms CPU, mappings
 * validate 161 -> 148 ms). What is parsed per record (Partner Center referrals) keeps it.
 */
import type { z } from 'zod';

export function parseOnce<T extends z.ZodType>(schema: T, data: unknown, params: Omit<z.core.ParseContext<z.core.$ZodIssue>, 'jitless'> = {}): z.ZodSafeParseResult<z.output<T>> {
  return schema.safeParse(data, { ...params, jitless: true });
}
