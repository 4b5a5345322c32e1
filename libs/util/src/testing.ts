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

/** A variable whose default in the env class differs from the value .env.example shows for it. */
export interface EnvDefaultMismatch {
  name: string;
  code: unknown;
  envExample: string | null;
}

/**
 * Defaults that disagree between an env class and .env.example: a variable with a default in the class
 * must be listed uncommented with the same value (numbers compared as numbers, so 3.0 == 3), and a
 * variable without one (unset) may only appear commented out. `except` names deliberate differences
 * (e.g. MODEL_SERVICE_PORT, one line in the shared file but another default per app).
 */
export function envDefaultsDifferingFromEnvExample(cls: new () => object, envExamplePath: string, except: readonly string[] = []): EnvDefaultMismatch[] {
  const values = new Map<string, string>();
  for (const line of readFileSync(envExamplePath, 'utf8').split('\n')) {
    const m = /^([A-Z][A-Z0-9_]*)=(.*)$/.exec(line.trim());
    if (m?.[1]) values.set(m[1], (m[2] ?? '').trim().replace(/^(['"])(.*)\1$/, '$2'));
  }
  const instance = new cls() as Record<string, unknown>;
  const declared = new Set(
    getMetadataStorage()
      .getTargetValidationMetadatas(cls, '', true, false)
      .map((m) => m.propertyName),
  );
  const same = (code: unknown, text: string): boolean => {
    if (typeof code === 'number') return text.trim() !== '' && Number(text) === code;
    if (typeof code === 'boolean') return text.toLowerCase() === String(code);
    return String(code) === text;
  };
  const out: EnvDefaultMismatch[] = [];
  for (const name of [...declared].sort()) {
    if (except.includes(name)) continue;
    const code = instance[name];
    const shown = values.get(name) ?? null;
    if (code === undefined || code === null) {
      if (shown !== null && shown !== '') out.push({ name, code: code ?? null, envExample: shown });
    } else if (shown === null || !same(code, shown)) {
      out.push({ name, code, envExample: shown });
    }
  }
  return out;
}

export { TcpProxy } from './testing/tcp-proxy';
export type { TcpProxyOptions } from './testing/tcp-proxy';
export { captureLogs, logLineSink } from './testing/log-capture';
export { TEST_DATABASE_URL, TEST_RABBITMQ_URL } from './config/test-servers';
export type { LogLines } from './testing/log-capture';
