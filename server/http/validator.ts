// Route validation for params, query and headers: TypeBox's compiler (as
// @fastify/type-provider-typebox does it), but strict about numbers and clear about enums
// (issue 9, Low). Value.Convert turns `limit=1.5` into 1; here a whole-number parameter must be
// written as one. An error on a parameter with a fixed set of values lists them.
import type { FastifySchemaCompiler } from 'fastify';
import { TypeBoxValidatorCompiler } from '@fastify/type-provider-typebox';
import type { TSchema } from 'typebox';

type Node = Record<string, unknown>;
const WHOLE = /^-?(0|[1-9][0-9]*)$/;

/** The values a schema node allows, when it is an enum or a union of constants. */
export function allowedValues(node: Node | undefined): unknown[] | undefined {
  if (!node) return undefined;
  if (Array.isArray(node.enum)) return node.enum as unknown[];
  if (Array.isArray(node.anyOf) && (node.anyOf as Node[]).every((b) => 'const' in b)) return (node.anyOf as Node[]).map((b) => b.const);
  return undefined;
}

export const strictValidatorCompiler: FastifySchemaCompiler<TSchema> = (route) => {
  const check = TypeBoxValidatorCompiler(route);
  if (route.httpPart === 'body') return check;
  const properties = ((route.schema as Node).properties ?? {}) as Record<string, Node>;
  const integers = Object.keys(properties).filter((k) => properties[k].type === 'integer');
  return (value: unknown) => {
    const raw = (value ?? {}) as Record<string, unknown>;
    for (const key of integers) {
      const v = raw[key];
      if (typeof v === 'string' && !WHOLE.test(v)) {
        return { error: [{ instancePath: `/${key}`, keyword: 'type', message: 'must be a whole number', params: {} }] as never };
      }
    }
    const result = check(value) as { value?: unknown; error?: { instancePath?: string; message?: string }[] };
    if (result.error) {
      for (const e of result.error) {
        const key = (e.instancePath ?? '').split('/')[1];
        const allowed = key ? allowedValues(properties[key]) : undefined;
        if (allowed) e.message = `must be one of: ${allowed.join(', ')}`;
      }
    }
    return result as never;
  };
};
