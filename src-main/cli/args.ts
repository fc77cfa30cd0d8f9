import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UserError } from './command';

/** node:util parseArgs with strict checking; positional arguments counted against `positionals`. */
export function parse<T extends NonNullable<ParseArgsConfig['options']>>(
  argv: string[],
  options: T,
  positionals: { min: number; max: number; usage: string },
) {
  const parsed = parseArgs({ args: argv, options, allowPositionals: true, strict: true });
  const n = parsed.positionals.length;
  if (n < positionals.min || n > positionals.max) {
    throw new UserError(`expected ${describe(positionals)}. Usage: ${positionals.usage}`);
  }
  return parsed;
}

function describe({ min, max }: { min: number; max: number }): string {
  if (min === max) return `${min} argument${min === 1 ? '' : 's'}`;
  return max === Infinity ? `at least ${min} arguments` : `${min} to ${max} arguments`;
}

export function intOption(value: string | undefined, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0)
    throw new UserError(`--${name} must be a whole number, got "${value}".`);
  return n;
}
