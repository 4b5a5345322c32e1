import { ConfigValidationError, validateEnv } from './env';
import { BaseServiceEnv } from './base-service.env';

describe('MODEL_SERVICE_LOG_LEVEL', () => {
  it.each([
    ['INFO', 'info'],
    ['info', 'info'],
    ['Info', 'info'],
    ['WARNING', 'warn'],
    ['warning', 'warn'],
    ['WARN', 'warn'],
    ['ERROR', 'error'],
    ['CRITICAL', 'error'],
    ['FATAL', 'error'],
    ['DEBUG', 'debug'],
    ['NOTSET', 'debug'],
    [' debug ', 'debug'],
    ['', 'info'],
  ])('accepts %j as %s', (given, level) => {
    expect(validateEnv(BaseServiceEnv, { MODEL_SERVICE_LOG_LEVEL: given }).MODEL_SERVICE_LOG_LEVEL).toBe(level);
  });

  it.each(['loud', 'INFOO', '20'])('refuses %j, naming the variable and the accepted names', (given) => {
    let caught: unknown;
    try {
      validateEnv(BaseServiceEnv, { MODEL_SERVICE_LOG_LEVEL: given });
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(ConfigValidationError);
    expect((caught as Error).message).toContain('MODEL_SERVICE_LOG_LEVEL');
    expect((caught as Error).message).toContain('WARNING');
  });
});
