import { BaseServiceEnv } from './base-service.env';
import { ConfigValidationError, validateEnv } from './env';

/** The connection lines of the original service's example .env. */
const ORIGINAL = {
  POSTGRES_HOST: 'postgres',
  POSTGRES_PORT: '5432',
  POSTGRES_DB: 'ytrader',
  POSTGRES_USER: 'ytrader',
  POSTGRES_PASSWORD: 'your_password',
  RABBITMQ_HOST: 'rabbitmq',
  RABBITMQ_PORT: '5672',
  RABBITMQ_USER: 'guest',
  RABBITMQ_PASSWORD: 'guest',
};

describe("the original service's connection variables (POSTGRES_*, RABBITMQ_HOST/PORT/USER/PASSWORD)", () => {
  it('make DATABASE_URL and RABBITMQ_URL when those are not set', () => {
    const env = validateEnv(BaseServiceEnv, ORIGINAL);
    expect(env.DATABASE_URL).toBe('postgres://ytrader:your_password@postgres:5432/ytrader');
    expect(env.RABBITMQ_URL).toBe('amqp://guest:guest@rabbitmq:5672');
  });

  it('take our defaults for the parts not given', () => {
    const env = validateEnv(BaseServiceEnv, { POSTGRES_HOST: 'db.internal', RABBITMQ_PORT: '5673' });
    expect(env.DATABASE_URL).toBe('postgres://postgres@db.internal:5432/model_service');
    expect(env.RABBITMQ_URL).toBe('amqp://guest:guest@127.0.0.1:5673');
  });

  it('escape a user, password or database name that is not URL-safe', () => {
    const env = validateEnv(BaseServiceEnv, { POSTGRES_USER: 'ops@corp', POSTGRES_PASSWORD: 'p@ss/w:rd#1', POSTGRES_DB: 'my db' });
    expect(env.DATABASE_URL).toBe('postgres://ops%40corp:p%40ss%2Fw%3Ard%231@127.0.0.1:5432/my%20db');
    expect(new URL(env.DATABASE_URL).password).toBe(encodeURIComponent('p@ss/w:rd#1'));
  });

  it('are ignored when the URL itself is set (ours wins)', () => {
    const env = validateEnv(BaseServiceEnv, { ...ORIGINAL, DATABASE_URL: 'postgres://app@10.0.0.5:5432/ms', RABBITMQ_URL: 'amqp://u:p@10.0.0.6:5672' });
    expect(env.DATABASE_URL).toBe('postgres://app@10.0.0.5:5432/ms');
    expect(env.RABBITMQ_URL).toBe('amqp://u:p@10.0.0.6:5672');
  });

  it('leave the defaults alone when none is set', () => {
    const env = validateEnv(BaseServiceEnv, {});
    expect(env.DATABASE_URL).toBe('postgres://postgres@127.0.0.1:5432/model_service');
    expect(env.RABBITMQ_URL).toBe('amqp://guest:guest@127.0.0.1:5672');
  });

  it.each([
    [{ POSTGRES_PORT: 'five' }, 'POSTGRES_PORT must be a port number (1-65535)'],
    [{ RABBITMQ_PORT: '70000' }, 'RABBITMQ_PORT must be a port number (1-65535)'],
    [{ POSTGRES_HOST: 'db/evil' }, 'POSTGRES_HOST must be a host name or address'],
  ])('refuse %j, naming the variable', (env, rule) => {
    expect(() => validateEnv(BaseServiceEnv, env)).toThrow(ConfigValidationError);
    expect(() => validateEnv(BaseServiceEnv, env)).toThrow(rule);
  });
});
