// Types of start.mjs for the TypeScript that imports it (the tests and the bench).
export function unitNodeFlags(): string[];
export function daemonArgs(args: string[], env?: Record<string, string | undefined>): { args: string[]; created: string | null };
