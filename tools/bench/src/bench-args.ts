/**
 * Command-line options of the benches: `--name value` or `--name=value`, read by node:util parseArgs.
 * Each reader declares only its own option, so a bench's other flags (`--ts-node`, `--reseed`) pass
 * through; a bad value stops the bench naming the option. Also the broker the benches run against.
 */
import { parseArgs } from 'node:util';
import { TEST_RABBITMQ_URL } from '@model-service/messaging/testing';

/** The broker under test: RABBITMQ_URL, else the local one. */
export const RABBITMQ_URL = TEST_RABBITMQ_URL;

/** The raw value of `--name`, or undefined when it is not given. */
export function stringArg(name: string, argv: readonly string[] = process.argv.slice(2)): string | undefined {
  const { values } = parseArgs({ args: [...argv], options: { [name]: { type: 'string' } }, strict: false, allowPositionals: true });
  const v = values[name];
  if (typeof v === 'boolean') throw new Error(`--${name} needs a value`);
  return v;
}

/** True when the flag `--name` is given. */
export function flagArg(name: string, argv: readonly string[] = process.argv.slice(2)): boolean {
  const { values } = parseArgs({ args: [...argv], options: { [name]: { type: 'boolean' } }, strict: false, allowPositionals: true });
  return values[name] === true;
}

/** A positive integer option. */
export function intArg(name: string, fallback: number, argv?: readonly string[]): number {
  const raw = stringArg(name, argv);
  const v = raw === undefined ? fallback : Number(raw);
  if (!Number.isInteger(v) || v <= 0) throw new Error(`--${name} must be a positive integer`);
  return v;
}

/** A number option, 0 or more. */
export function numberArg(name: string, fallback: number, argv?: readonly string[]): number {
  const raw = stringArg(name, argv);
  const v = raw === undefined ? fallback : Number(raw);
  if (!Number.isFinite(v) || v < 0) throw new Error(`--${name} must be a number >= 0`);
  return v;
}
