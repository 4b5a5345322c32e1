import { IsIn, IsInt, IsOptional, IsString, Matches, Max, Min } from 'class-validator';
import { Writable } from 'node:stream';
import * as winston from 'winston';

import { configureLogging } from '../logging/logger';
import { ConfigValidationError, EnvBoolean, EnvNumber, EnvString, validateEnv } from './env';

class SampleEnv {
  @EnvNumber() @IsInt() @Min(1) @Max(10000)
  RABBITMQ_PREFETCH = 100;

  @EnvBoolean()
  WARMUP_MODE_ENABLED = true;

  @EnvString() @IsString() @IsIn(['debug', 'info', 'warn', 'error'])
  MODEL_SERVICE_LOG_LEVEL = 'info';
}

describe('validateEnv', () => {
  it.each([
    [{}, { RABBITMQ_PREFETCH: 100, WARMUP_MODE_ENABLED: true, MODEL_SERVICE_LOG_LEVEL: 'info' }],
    [{ RABBITMQ_PREFETCH: '' }, { RABBITMQ_PREFETCH: 100 }],
    [{ RABBITMQ_PREFETCH: ' 5 ' }, { RABBITMQ_PREFETCH: 5 }],
    [{ RABBITMQ_PREFETCH: '1' }, { RABBITMQ_PREFETCH: 1 }],
    [{ RABBITMQ_PREFETCH: '10000' }, { RABBITMQ_PREFETCH: 10000 }],
    [{ WARMUP_MODE_ENABLED: 'false' }, { WARMUP_MODE_ENABLED: false }],
    [{ WARMUP_MODE_ENABLED: '0' }, { WARMUP_MODE_ENABLED: false }],
    [{ WARMUP_MODE_ENABLED: 'YES' }, { WARMUP_MODE_ENABLED: true }],
  ])('accepts %j', (env, expected) => {
    expect(validateEnv(SampleEnv, env)).toMatchObject(expected);
  });

  it.each([
    [{ RABBITMQ_PREFETCH: 'abc' }, 'RABBITMQ_PREFETCH'],
    [{ RABBITMQ_PREFETCH: '0' }, 'RABBITMQ_PREFETCH'],
    [{ RABBITMQ_PREFETCH: '10001' }, 'RABBITMQ_PREFETCH'],
    [{ RABBITMQ_PREFETCH: '2.5' }, 'RABBITMQ_PREFETCH'],
    [{ WARMUP_MODE_ENABLED: 'maybe' }, 'WARMUP_MODE_ENABLED'],
    [{ MODEL_SERVICE_LOG_LEVEL: 'loud' }, 'MODEL_SERVICE_LOG_LEVEL'],
  ])('rejects %j naming %s', (env, variable) => {
    let caught: unknown;
    try {
      validateEnv(SampleEnv, env);
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(ConfigValidationError);
    expect((caught as Error).message).toContain(variable);
    expect((caught as ConfigValidationError).problems.map((p) => p.variable)).toEqual([variable]);
  });

  it('ignores unrelated variables', () => {
    const cfg = validateEnv(SampleEnv, { PATH: '/bin', HOME: '/root' });
    expect(Object.keys(cfg).sort()).toEqual(['MODEL_SERVICE_LOG_LEVEL', 'RABBITMQ_PREFETCH', 'WARMUP_MODE_ENABLED']);
  });
});

class RulesEnv {
  @EnvNumber({ type: 'integer', min: 1, max: 10 })
  WORKERS = 2;

  @EnvNumber({ type: 'number', min: 0, max: 1, optional: true })
  RATIO?: number;

  @EnvString({ optional: true, httpUrl: true })
  PEER_URL?: string;
}

describe('EnvNumber and EnvString with rules', () => {
  it.each([
    [{ WORKERS: '2.5' }, 'WORKERS must be an integer number'],
    [{ WORKERS: '11' }, 'WORKERS must not be greater than 10'],
    [{ RATIO: '-0.1' }, 'RATIO must not be less than 0'],
    [{ PEER_URL: 'peer:80' }, 'PEER_URL must be an http(s):// URL'],
  ])('refuses %j: %s', (env, rule) => {
    expect(() => validateEnv(RulesEnv, env)).toThrow(rule);
  });

  it('leaves an optional variable unset', () => {
    expect(validateEnv(RulesEnv, { RATIO: '0.5' })).toEqual({ WORKERS: 2, RATIO: 0.5 });
    expect(validateEnv(RulesEnv, {}).RATIO).toBeUndefined();
  });
});

class RenamedEnv {
  static readonly renamedVariables = { OLD_QUEUE_PREFIX: 'QUEUE_PREFIX' };

  @EnvString() @IsOptional() @Matches(/^[a-z.]+$/, { message: 'QUEUE_PREFIX may hold only letters and dots' })
  QUEUE_PREFIX?: string;
}

describe('validateEnv with renamed variables', () => {
  let warnings: Record<string, unknown>[];

  beforeEach(() => {
    warnings = [];
    const stream = new Writable({
      write(chunk, _enc, cb) {
        warnings.push(JSON.parse(String(chunk)) as Record<string, unknown>);
        cb();
      },
    });
    const logger = configureLogging({ service: 'env-spec', format: 'json', level: 'warn' });
    logger.clear().add(new winston.transports.Stream({ stream }));
  });

  it('reads the old name when the new one is unset, and logs one deprecation warning naming both', () => {
    expect(validateEnv(RenamedEnv, { OLD_QUEUE_PREFIX: 'it.' }).QUEUE_PREFIX).toBe('it.');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatchObject({ level: 'warn', msg: 'OLD_QUEUE_PREFIX is deprecated: set QUEUE_PREFIX instead', variable: 'OLD_QUEUE_PREFIX' });
  });

  it('prefers the new name, warning that the old one is ignored', () => {
    expect(validateEnv(RenamedEnv, { OLD_QUEUE_PREFIX: 'old.', QUEUE_PREFIX: 'new.' }).QUEUE_PREFIX).toBe('new.');
    expect(warnings.map((w) => w['msg'])).toEqual(['OLD_QUEUE_PREFIX is deprecated and ignored: QUEUE_PREFIX is set']);
  });

  it('logs nothing when only the new name is set', () => {
    expect(validateEnv(RenamedEnv, { QUEUE_PREFIX: 'new.' }).QUEUE_PREFIX).toBe('new.');
    expect(warnings).toEqual([]);
  });

  it('names a bad value by the variable the environment set', () => {
    expect(() => validateEnv(RenamedEnv, { OLD_QUEUE_PREFIX: 'a b' })).toThrow(/^Invalid configuration: OLD_QUEUE_PREFIX="a b"/);
  });
});

class SecretEnv {
  @EnvString() @IsString() @IsIn(['postgres://x'])
  DATABASE_URL = 'postgres://x';

  @EnvString() @IsString() @IsIn(['a-long-key'])
  MODEL_SERVICE_API_KEY = 'a-long-key';
}

describe('config errors never print secrets', () => {
  it('masks the password of a URL and the whole value of a key, in the message and the problems', () => {
    let caught: ConfigValidationError | undefined;
    try {
      validateEnv(SecretEnv, { DATABASE_URL: 'postgres://ops:Sup3rS3cret@db:5432/ms', MODEL_SERVICE_API_KEY: 'leaked-key-value' });
    } catch (err) {
      caught = err as ConfigValidationError;
    }
    expect(caught).toBeInstanceOf(ConfigValidationError);
    const printed = `${caught!.message} ${JSON.stringify(caught!.problems)}`;
    expect(printed).toContain('DATABASE_URL="postgres://ops:***@db:5432/ms"');
    expect(printed).toContain('MODEL_SERVICE_API_KEY="***"');
    expect(printed).not.toContain('Sup3rS3cret');
    expect(printed).not.toContain('leaked-key-value');
  });
});
