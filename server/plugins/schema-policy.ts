import { Ajv, type Options, type ValidateFunction } from 'ajv';
import type { FastifyInstance, FastifySchema, RouteOptions } from 'fastify';
import fp from 'fastify-plugin';
import { SerializerSelector } from '@fastify/fast-json-stringify-compiler';

/**
 * How requests are validated, for every route:
 *
 * - Bodies are never coerced (`"screen": 123` is not the string "123", `null` is not `false`);
 *   query strings and path parameters are text on the wire, so they are coerced to the schema's
 *   types (and a repeated key to an array).
 * - At start-up every request schema is checked: each integer and number has a minimum and a
 *   maximum (an id of 1e308 is a 400, never a database error), each string a length limit or a
 *   pattern or an enum; a route that breaks this does not start. Strings are also required to be
 *   free of control characters: a string without a pattern of its own gets the NO_CONTROL pattern.
 * - Validators and response serializers are compiled on a route's first use, not at start-up:
 *   compiling ~100 routes' schemas with ajv and fast-json-stringify was most of the daemon's
 *   start-up time and memory (issue 11), and a kiosk uses a handful of routes all day. The policy
 *   check above still runs for every route at start-up.
 */
const BASE: Options = { removeAdditional: false, useDefaults: true, allErrors: false, strict: false, unicodeRegExp: true };
const NO_CONTROL = '^[^\\u0000-\\u001F\\u007F-\\u009F]*$';
const PARTS = ['body', 'querystring', 'params', 'headers'] as const;

type JsonSchema = Record<string, unknown>;

/** Problems of one request schema (empty when it follows the policy); adds NO_CONTROL where needed. */
export function checkRequestSchema(schema: unknown, path = ''): string[] {
  if (typeof schema !== 'object' || schema === null) return [];
  const s = schema as JsonSchema;
  const problems: string[] = [];
  const types = Array.isArray(s.type) ? s.type : [s.type];
  if (types.includes('integer') || types.includes('number')) {
    if (typeof s.minimum !== 'number' && typeof s.exclusiveMinimum !== 'number') problems.push(`${path || '/'}: ${String(s.type)} without a minimum`);
    if (typeof s.maximum !== 'number' && typeof s.exclusiveMaximum !== 'number') problems.push(`${path || '/'}: ${String(s.type)} without a maximum`);
  }
  if (types.includes('string') && s.enum === undefined && s.const === undefined) {
    if (typeof s.maxLength !== 'number' && typeof s.pattern !== 'string') problems.push(`${path || '/'}: string without maxLength or pattern`);
    if (typeof s.pattern !== 'string') s.pattern = NO_CONTROL;
  }
  if (types.includes('array') && typeof s.maxItems !== 'number') problems.push(`${path || '/'}: array without maxItems`);
  const props = s.properties as Record<string, unknown> | undefined;
  if (props) for (const [k, v] of Object.entries(props)) problems.push(...checkRequestSchema(v, `${path}/${k}`));
  if (s.items) problems.push(...checkRequestSchema(s.items, `${path}/items`));
  for (const key of ['anyOf', 'oneOf', 'allOf'] as const) {
    const list = s[key];
    if (Array.isArray(list)) list.forEach((v, i) => problems.push(...checkRequestSchema(v, `${path}/${key}/${i}`)));
  }
  if (s.additionalProperties && typeof s.additionalProperties === 'object') problems.push(...checkRequestSchema(s.additionalProperties, `${path}/*`));
  if (s.patternProperties && typeof s.patternProperties === 'object') {
    for (const v of Object.values(s.patternProperties as Record<string, unknown>)) problems.push(...checkRequestSchema(v, `${path}/*`));
  }
  return problems;
}

async function schemaPolicy(app: FastifyInstance): Promise<void> {
  const bodies = new Ajv({ ...BASE, coerceTypes: false });
  const text = new Ajv({ ...BASE, coerceTypes: 'array' });
  app.setValidatorCompiler(({ schema, httpPart }) => {
    let compiled: ValidateFunction | undefined;
    // Fastify reads `errors` from the function it was given after a `false`.
    const validate = (data: unknown): boolean => {
      compiled ??= (httpPart === 'body' ? bodies : text).compile(schema);
      const ok = compiled(data);
      validate.errors = compiled.errors;
      return ok;
    };
    validate.errors = null as ValidateFunction['errors'];
    return validate;
  });

  app.addHook('onRoute', (route: RouteOptions) => {
    const schema = route.schema as FastifySchema | undefined;
    if (!schema) return;
    const problems = PARTS.flatMap((part) => checkRequestSchema(schema[part], part));
    if (problems.length) throw new Error(`${String(route.method)} ${route.url}: request schema is not bounded:\n  ${problems.join('\n  ')}`);
  });
}

export default fp(schemaPolicy, { name: 'hall-kiosk-schema-policy', fastify: '5.x' });

type BuildSerializer = ReturnType<typeof SerializerSelector>;

/**
 * Fastify's own response serializer (fast-json-stringify, with the shared schemas), each built
 * the first time its route answers with that status. For `schemaController.compilersFactory`.
 */
export const lazySerializers: BuildSerializer = (externalSchemas, options) => {
  const build = SerializerSelector()(externalSchemas, options);
  return (route) => {
    let serialize: ((data: unknown) => string) | undefined;
    return (data: unknown) => (serialize ??= build(route) as (data: unknown) => string)(data);
  };
};
