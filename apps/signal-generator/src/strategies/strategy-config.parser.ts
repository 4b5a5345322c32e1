import { existsSync, readFileSync } from 'node:fs';

import { splitPair } from '@model-service/neighbours';

import {
  builtInStrategies,
  Heuristic,
  HEURISTICS,
  heuristicFromId,
  KLINE_INTERVAL_VALUES,
  StrategyConfig,
  StrategyDefaults,
  StrategyRiskLimits,
  Trigger,
  TRIGGERS,
} from './strategy-config';

/** TRADING_STRATEGIES could not be used; `problems` name the strategy and the setting. */
export class StrategyConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`TRADING_STRATEGIES is invalid: ${problems.join('; ')}`);
    this.name = 'StrategyConfigError';
  }
}

const STRATEGY_KEYS = new Set([
  'id',
  'assets',
  'heuristic',
  'randomness',
  'frequency_seconds',
  'min_amount',
  'max_amount',
  'trigger',
  'kline_interval',
  'risk',
  'enabled',
  'warmup_max_duration_seconds',
  'short_selling',
]);
const RISK_KEYS = new Set(['max_position_size_ratio', 'rate_limit_per_minute', 'burst_allowance', 'balance_safety_margin']);
const ID = /^[A-Za-z0-9_.:-]{1,100}$/;
const SYMBOL = /^[A-Z0-9]{2,20}$/;
const ID_LIST = /^[A-Za-z0-9_.:-]{1,100}(\s*,\s*[A-Za-z0-9_.:-]{1,100})*$/;

const show = (v: unknown): string => (v === undefined ? 'nothing' : JSON.stringify(v));

/** Reads one strategy object, recording problems as `<where>.<field> ...`. */
class StrategyReader {
  constructor(
    private readonly obj: Record<string, unknown>,
    private readonly where: string,
    private readonly problems: string[],
  ) {}

  number(key: string, fallback: number, rule: (n: number) => boolean, ruleText: string, from = this.obj, prefix = this.where): number {
    const v = from[key];
    if (v === undefined || v === null) return fallback;
    if (typeof v !== 'number' || !Number.isFinite(v) || !rule(v)) {
      this.problems.push(`${prefix}.${key} must be ${ruleText}, got ${show(v)}`);
      return fallback;
    }
    return v;
  }

  oneOf<T extends string>(key: string, values: readonly T[], fallback: T | undefined): T | undefined {
    const v = this.obj[key];
    if (v === undefined || v === null) {
      if (fallback === undefined) this.problems.push(`${this.where}.${key} is required (one of ${values.join(', ')})`);
      return fallback;
    }
    if (typeof v !== 'string' || !(values as readonly string[]).includes(v)) {
      this.problems.push(`${this.where}.${key} must be one of ${values.join(', ')}, got ${show(v)}`);
      return fallback;
    }
    return v as T;
  }

  unknownKeys(keys: Set<string>, from = this.obj, prefix = this.where): void {
    for (const key of Object.keys(from)) {
      if (!keys.has(key)) this.problems.push(`${prefix}.${key} is not a known setting (known: ${[...keys].join(', ')})`);
    }
  }
}

function readAssets(v: unknown, where: string, fallback: string[], problems: string[]): string[] {
  if (v === undefined || v === null) return fallback;
  if (!Array.isArray(v) || v.length === 0) {
    problems.push(`${where}.assets must be a non-empty array of symbols like "BTCUSDT", got ${show(v)}`);
    return fallback;
  }
  const out: string[] = [];
  v.forEach((a: unknown, i) => {
    if (typeof a !== 'string' || !SYMBOL.test(a)) problems.push(`${where}.assets[${i}] must be an upper-case symbol like BTCUSDT, got ${show(a)}`);
    else if (!splitPair(a)) problems.push(`${where}.assets[${i}] ${a} does not end with a known quote currency (USDT, USDC, BTC, ...)`);
    else if (out.includes(a)) problems.push(`${where}.assets[${i}] ${a} is listed twice`);
    else out.push(a);
  });
  return out;
}

function readRisk(r: StrategyReader, raw: unknown, where: string, d: StrategyDefaults, problems: string[]): StrategyRiskLimits {
  const risk: StrategyRiskLimits = {
    max_position_size_ratio: d.maxPositionSizeRatio,
    rate_limit_per_minute: d.rateLimitPerMinute,
    burst_allowance: d.burstAllowance,
    balance_safety_margin: d.balanceSafetyMargin,
  };
  if (raw === undefined || raw === null) return risk;
  if (typeof raw !== 'object' || Array.isArray(raw)) {
    problems.push(`${where}.risk must be an object, got ${show(raw)}`);
    return risk;
  }
  const obj = raw as Record<string, unknown>;
  const at = `${where}.risk`;
  r.unknownKeys(RISK_KEYS, obj, at);
  risk.max_position_size_ratio = r.number('max_position_size_ratio', risk.max_position_size_ratio, (n) => n > 0 && n <= 1, 'a number > 0 and <= 1', obj, at);
  risk.rate_limit_per_minute = r.number('rate_limit_per_minute', risk.rate_limit_per_minute, (n) => n > 0, 'a number > 0', obj, at);
  risk.burst_allowance = r.number('burst_allowance', risk.burst_allowance, (n) => Number.isInteger(n) && n >= 0, 'an integer >= 0', obj, at);
  risk.balance_safety_margin = r.number('balance_safety_margin', risk.balance_safety_margin, (n) => n >= 0 && n < 1, 'a number >= 0 and < 1', obj, at);
  return risk;
}

function readStrategy(raw: unknown, index: number, d: StrategyDefaults, problems: string[]): StrategyConfig | null {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    problems.push(`TRADING_STRATEGIES[${index}] must be an object, got ${show(raw)}`);
    return null;
  }
  const obj = raw as Record<string, unknown>;
  const id = obj['id'];
  const where = typeof id === 'string' && ID.test(id) ? `TRADING_STRATEGIES[${index}] (${id})` : `TRADING_STRATEGIES[${index}]`;
  if (typeof id !== 'string' || !ID.test(id)) problems.push(`${where}.id must be 1-100 letters, digits or _ . : -, got ${show(id)}`);
  const r = new StrategyReader(obj, where, problems);
  r.unknownKeys(STRATEGY_KEYS);
  const heuristic = r.oneOf<Heuristic>('heuristic', HEURISTICS, undefined);
  const assets = readAssets(obj['assets'], where, d.assets, problems);
  const randomness = r.number('randomness', heuristic === 'random' ? 1 : 0, (n) => n >= 0 && n <= 1, 'a number from 0 to 1');
  const frequency = r.number('frequency_seconds', d.frequencySeconds, (n) => n >= 0.001 && n <= 86_400, 'a number of seconds > 0 (at least 0.001) and at most 86400');
  const positive = (n: number): boolean => n > 0;
  const minAmount = r.number('min_amount', d.minAmount, positive, 'a number > 0');
  const maxAmount = r.number('max_amount', Math.max(d.maxAmount, minAmount), positive, 'a number > 0');
  if (maxAmount < minAmount) problems.push(`${where}.max_amount (${maxAmount}) must be >= min_amount (${minAmount})`);
  const trigger = r.oneOf<Trigger>('trigger', TRIGGERS, 'schedule');
  const interval = r.oneOf('kline_interval', KLINE_INTERVAL_VALUES, d.klineInterval as (typeof KLINE_INTERVAL_VALUES)[number]);
  const risk = readRisk(r, obj['risk'], where, d, problems);
  const warmupMax = r.number('warmup_max_duration_seconds', d.warmupMaxDurationSeconds ?? 0, (n) => n >= 1, 'a number of seconds >= 1');
  const enabled = obj['enabled'] ?? true;
  if (typeof enabled !== 'boolean') problems.push(`${where}.enabled must be true or false, got ${show(enabled)}`);
  const shortSelling = obj['short_selling'] ?? false;
  if (typeof shortSelling !== 'boolean') problems.push(`${where}.short_selling must be true or false, got ${show(shortSelling)}`);
  if (typeof id !== 'string' || !heuristic) return null;
  return {
    id,
    assets,
    assets_pinned: obj['assets'] !== undefined && obj['assets'] !== null,
    warmup_max_duration_seconds: warmupMax >= 1 ? warmupMax : null,
    heuristic,
    randomness,
    frequency_seconds: frequency,
    min_amount: minAmount,
    max_amount: maxAmount,
    trigger: trigger ?? 'schedule',
    kline_interval: interval ?? d.klineInterval,
    risk,
    enabled: enabled === true,
    short_selling: shortSelling === true,
  };
}

/** The raw strategy list from the setting: JSON, a JSON file, or a comma-separated list of ids. */
function rawList(setting: string | undefined, readFile: (path: string) => string, problems: string[]): unknown[] | null {
  if (setting === undefined || setting.trim() === '') return builtInStrategies();
  const text = setting.trim();
  let json: string | undefined;
  if (text.startsWith('[') || text.startsWith('{')) json = text;
  else if (/[/\\]/.test(text) || text.endsWith('.json') || existsSync(text)) {
    try {
      json = readFile(text);
    } catch (err) {
      problems.push(`TRADING_STRATEGIES names the file ${text}, which cannot be read (${err instanceof Error ? err.message : String(err)})`);
      return null;
    }
  } else if (ID_LIST.test(text)) {
    return text.split(',').map((id) => ({ id: id.trim(), heuristic: heuristicFromId(id.trim()) }));
  } else {
    problems.push('TRADING_STRATEGIES must be JSON, the path of a JSON file, or a comma-separated list of strategy ids');
    return null;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch (err) {
    problems.push(`TRADING_STRATEGIES is not valid JSON (${err instanceof Error ? err.message : String(err)})`);
    return null;
  }
  const list = !Array.isArray(parsed) && typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>)['strategies'] : parsed;
  if (!Array.isArray(list)) {
    problems.push('TRADING_STRATEGIES must be an array of strategies or an object with a "strategies" array');
    return null;
  }
  if (list.length === 0) problems.push('TRADING_STRATEGIES must hold at least one strategy');
  return list;
}

/**
 * Turns TRADING_STRATEGIES into validated strategies with every default filled in, or throws
 * StrategyConfigError listing every problem (strategy index, id and setting named).
 */
export function parseStrategies(
  setting: string | undefined,
  defaults: StrategyDefaults,
  readFile: (path: string) => string = (p) => readFileSync(p, 'utf8'),
): StrategyConfig[] {
  const problems: string[] = [];
  const list = rawList(setting, readFile, problems);
  const strategies: StrategyConfig[] = [];
  list?.forEach((raw, i) => {
    const s = readStrategy(raw, i, defaults, problems);
    if (!s) return;
    if (strategies.some((o) => o.id === s.id)) problems.push(`TRADING_STRATEGIES[${i}].id ${s.id} is used by another strategy`);
    strategies.push(s);
  });
  if (problems.length > 0) throw new StrategyConfigError(problems);
  return strategies;
}
