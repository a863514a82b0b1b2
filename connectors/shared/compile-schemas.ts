/**
 * zod builds an object schema's parser the first time that schema parses an object, and a nested
 * object's when a value first reaches it: a daemon would pay that while its first webhook burst
 * waits. `compileSchemas` pays it at once for a schema and every object schema inside it, by
 * letting each parse an empty object (the answers are thrown away; nothing else is read).
 */
import { z } from 'zod';

type Def = {
  type: string;
  shape?: Record<string, z.core.$ZodType>;
  innerType?: z.core.$ZodType;
  element?: z.core.$ZodType;
  options?: readonly z.core.$ZodType[];
  in?: z.core.$ZodType;
  out?: z.core.$ZodType;
  valueType?: z.core.$ZodType;
  left?: z.core.$ZodType;
  right?: z.core.$ZodType;
  items?: readonly z.core.$ZodType[];
};

/** The schemas directly inside `schema` (object fields, wrapped and element types, union members). */
function inner(def: Def): z.core.$ZodType[] {
  const found = [
    ...Object.values(def.shape ?? {}),
    ...(def.options ?? []),
    ...(def.items ?? []),
    def.innerType,
    def.element,
    def.in,
    def.out,
    def.valueType,
    def.left,
    def.right,
  ];
  return found.filter((s): s is z.core.$ZodType => s !== undefined);
}

export function compileSchemas(...schemas: z.core.$ZodType[]): void {
  const seen = new Set<z.core.$ZodType>();
  const visit = (schema: z.core.$ZodType): void => {
    if (seen.has(schema)) return;
    seen.add(schema);
    const def = schema._zod.def as Def;
    if (def.type === 'object') z.safeParse(schema, {});
    for (const child of inner(def)) visit(child);
  };
  for (const schema of schemas) visit(schema);
}
