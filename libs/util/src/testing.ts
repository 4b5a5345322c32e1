import { readFileSync } from 'node:fs';

import { getMetadataStorage } from 'class-validator';

import { Clock } from './time/clock';

/** A clock that moves only when told to. */
export class FakeClock implements Clock {
  constructor(private t = Date.UTC(2026, 0, 1)) {}
  now(): number {
    return this.t;
  }
  advance(ms: number): void {
    this.t += ms;
  }
  set(ms: number): void {
    this.t = ms;
  }
}

/**
 * Variables an env class declares (its property names) that .env.example does not list, so
 * operators always find every setting there.
 */
export function variablesMissingFromEnvExample(cls: new () => object, envExamplePath: string): string[] {
  const listed = new Set(
    readFileSync(envExamplePath, 'utf8')
      .split('\n')
      .map((line) => /^#?\s*([A-Z][A-Z0-9_]*)=/.exec(line)?.[1])
      .filter((name): name is string => Boolean(name)),
  );
  const declared = new Set(
    getMetadataStorage()
      .getTargetValidationMetadatas(cls, '', true, false)
      .map((m) => m.propertyName),
  );
  return [...declared].filter((name) => !listed.has(name)).sort();
}
