import { Ajv, type Options, type ValidateFunction } from 'ajv';
import { ConfigSchema } from './schema.ts';

/** The options the boot schema is compiled with (every error listed; TypeBox's extra keywords allowed). */
export const CONFIG_AJV_OPTIONS = { allErrors: true, strict: false } as const satisfies Options;

/**
 * Compiles the boot schema's validator with ajv (under tsx and in tests). The compiled daemon and
 * `hall-kiosk` do not run this: `npm run build` (kiosk/cli/build/build.mjs) replaces this module
 * with the same validator generated ahead of time by ajv's standalone code generation, with the
 * same options, so a start does not spend most of a second compiling the schema.
 */
export function compileConfigValidator(): ValidateFunction {
  return new Ajv(CONFIG_AJV_OPTIONS).compile(ConfigSchema);
}

/**
 * Whether V8 took `npm run build`'s code cache for the validator (the compiled daemon's stand-in
 * for this module answers 'accepted' or 'rejected'; 'absent' when there is none, as here).
 */
export function configValidatorCodeCache(): 'accepted' | 'rejected' | 'absent' | 'not-loaded' {
  return 'absent';
}
