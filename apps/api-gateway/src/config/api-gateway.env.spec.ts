import { ConfigValidationError, validateEnv } from '@model-service/util';

import { ApiGatewayEnv } from './api-gateway.env';

const KEY = { MODEL_SERVICE_API_KEY: 'a-long-enough-key-123' };

function problemVariables(env: Record<string, string>): string[] {
  try {
    validateEnv(ApiGatewayEnv, env);
  } catch (err) {
    if (err instanceof ConfigValidationError) return err.problems.map((p) => p.variable);
    throw err;
  }
  return [];
}

describe('ApiGatewayEnv', () => {
  it('has the documented defaults', () => {
    expect(validateEnv(ApiGatewayEnv, KEY)).toMatchObject({
      MODEL_SERVICE_PORT: 4700,
      MODEL_SERVICE_API_KEY: 'a-long-enough-key-123',
      MODEL_SERVICE_ALLOW_NO_API_KEY: false,
      MODEL_SERVICE_API_RATE_LIMIT: 600,
      MODEL_SERVICE_API_RATE_LIMIT_BURST: 60,
      MODEL_STORAGE_PATH: './model-store',
      MODEL_RETRAINING_SCHEDULE: '',
    });
  });

  it.each([
    [{ ...KEY, MODEL_SERVICE_API_KEY: 'k1,k2' }],
    [{ MODEL_SERVICE_ALLOW_NO_API_KEY: 'true' }],
    [{ MODEL_SERVICE_ALLOW_NO_API_KEY: 'true', NODE_ENV: 'development' }],
    [{ ...KEY, MODEL_SERVICE_API_RATE_LIMIT: '0' }],
    [{ ...KEY, MODEL_RETRAINING_SCHEDULE: '0 3 * * *' }],
    [{ ...KEY, SIGNAL_GENERATOR_URL: 'http://signal-generator:4701' }],
    [{ ...KEY, TRAINER_URL: 'http://trainer:4702', EXIT_STRATEGY_URL: 'https://exit-strategy:4703/' }],
  ])('accepts %j', (env) => {
    expect(problemVariables(env)).toEqual([]);
  });

  it.each([
    [{}, 'MODEL_SERVICE_API_KEY'],
    [{ MODEL_SERVICE_API_KEY: 'has space' }, 'MODEL_SERVICE_API_KEY'],
    [{ MODEL_SERVICE_API_KEY: 'a,,b' }, 'MODEL_SERVICE_API_KEY'],
    [{ MODEL_SERVICE_ALLOW_NO_API_KEY: 'true', NODE_ENV: 'production' }, 'MODEL_SERVICE_ALLOW_NO_API_KEY'],
    [{ ...KEY, MODEL_SERVICE_ALLOW_NO_API_KEY: 'maybe' }, 'MODEL_SERVICE_ALLOW_NO_API_KEY'],
    [{ ...KEY, MODEL_SERVICE_API_RATE_LIMIT: '-1' }, 'MODEL_SERVICE_API_RATE_LIMIT'],
    [{ ...KEY, MODEL_SERVICE_API_RATE_LIMIT_BURST: '0' }, 'MODEL_SERVICE_API_RATE_LIMIT_BURST'],
    [{ ...KEY, MODEL_RETRAINING_SCHEDULE: 'every day' }, 'MODEL_RETRAINING_SCHEDULE'],
    [{ ...KEY, SIGNAL_GENERATOR_URL: 'signal-generator:4701' }, 'SIGNAL_GENERATOR_URL'],
    [{ ...KEY, TRAINER_URL: 'trainer' }, 'TRAINER_URL'],
    [{ ...KEY, EXIT_STRATEGY_URL: 'ftp://exit-strategy' }, 'EXIT_STRATEGY_URL'],
  ])('refuses %j naming %s', (env, variable) => {
    expect(problemVariables(env)).toEqual([variable]);
  });
});
