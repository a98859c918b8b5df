// Types for the TypeScript that imports this module (services/testbed/src/stack.ts).
export function nodeFlags(name: string): string[];
export function runtimeEnv(name: string): Record<string, string>;
export function serviceArgs(name: string): string[];
