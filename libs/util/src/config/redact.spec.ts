import { redactConfig, redactText, redactValue } from './redact';

describe('redaction of secrets', () => {
  it.each([
    ['DATABASE_URL', 'postgres://ops:hunter2@db:5432/ms', 'postgres://ops:***@db:5432/ms'],
    ['DATABASE_URL', 'postgres://postgres@127.0.0.1:5432/ms', 'postgres://postgres@127.0.0.1:5432/ms'],
    ['RABBITMQ_URL', 'amqp://guest:guest@127.0.0.1:5672', 'amqp://guest:***@127.0.0.1:5672'],
    ['POSITION_MANAGER_URL', 'http://u:p%40ss@pm:4800/api', 'http://u:***@pm:4800/api'],
    ['MODEL_SERVICE_API_KEY', 'k1,k2', '***'],
    ['DB_PASSWORD', 'x', '***'],
    ['JWT_SECRET', 'x', '***'],
    ['GITHUB_TOKEN', 'x', '***'],
    ['MODEL_SERVICE_PORT', 4700, 4700],
    ['MODEL_STORAGE_PATH', './model-store', './model-store'],
    ['MODEL_SERVICE_API_KEY', '', ''],
  ])('%s=%j is printed as %j', (name, value, shown) => {
    expect(redactValue(name, value)).toEqual(shown);
  });

  it('masks URL passwords inside free text (error messages)', () => {
    expect(redactText('connect to postgres://a:b@h/db failed; retry amqps://x:y@z')).toBe('connect to postgres://a:***@h/db failed; retry amqps://x:***@z');
  });

  it('redacts a whole configuration object', () => {
    expect(redactConfig({ DATABASE_URL: 'postgres://u:pw@h/d', MODEL_SERVICE_API_KEY: 'secret', MODEL_SERVICE_PORT: 1 })).toEqual({
      DATABASE_URL: 'postgres://u:***@h/d',
      MODEL_SERVICE_API_KEY: '***',
      MODEL_SERVICE_PORT: 1,
    });
  });
});
