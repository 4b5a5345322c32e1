import { describeServiceStartup, freePort, spawnApp, waitForHttp } from '@model-service/platform/testing';
import { TEST_DATABASE_URL } from '@model-service/repositories/testing';

describeServiceStartup('api-gateway', { MODEL_SERVICE_API_KEY: 'startup-test-key-0123456789abcdef' });

describe('api-gateway API key at start-up', () => {
  it('refuses to start without MODEL_SERVICE_API_KEY and names it', async () => {
    const proc = spawnApp('api-gateway', { MODEL_SERVICE_API_KEY: '', MODEL_SERVICE_ALLOW_NO_API_KEY: '' });
    const code = await proc.exited;
    expect(code).not.toBe(0);
    expect(proc.output()).toContain('MODEL_SERVICE_API_KEY is required');
  }, 60_000);

  it('refuses MODEL_SERVICE_ALLOW_NO_API_KEY in production', async () => {
    const proc = spawnApp('api-gateway', { MODEL_SERVICE_API_KEY: '', MODEL_SERVICE_ALLOW_NO_API_KEY: 'true', NODE_ENV: 'production' });
    const code = await proc.exited;
    expect(code).not.toBe(0);
    expect(proc.output()).toContain('MODEL_SERVICE_ALLOW_NO_API_KEY must not be true when NODE_ENV=production');
  }, 60_000);
});

describe('api-gateway keys in production', () => {
  it.each([
    ['the example value', 'change-me'],
    ['a key shorter than 32 characters', 'short-but-not-example-0123'],
    ['a weak key among strong ones', 'a-strong-key-of-forty-characters-0123456,change-me'],
  ])('refuses %s with NODE_ENV=production, naming MODEL_SERVICE_API_KEY without printing the key', async (_what, key) => {
    const proc = spawnApp('api-gateway', { MODEL_SERVICE_API_KEY: key, NODE_ENV: 'production' });
    const code = await proc.exited;
    expect(code).not.toBe(0);
    expect(proc.output()).toContain('MODEL_SERVICE_API_KEY must be keys of at least 32 characters');
    for (const k of key.split(',')) expect(proc.output()).not.toContain(k);
  }, 60_000);

  it('does not print the password of DATABASE_URL when the configuration is refused', async () => {
    const proc = spawnApp('api-gateway', {
      MODEL_SERVICE_API_KEY: 'startup-test-key-0123456789abcdef',
      DATABASE_URL: 'postgres://ops:Sup3rS3cretPw@127.0.0.1:5432/model_service',
      RABBITMQ_PREFETCH: 'abc',
    });
    expect(await proc.exited).not.toBe(0);
    expect(proc.output()).toContain('RABBITMQ_PREFETCH');
    expect(proc.output()).not.toContain('Sup3rS3cretPw');
  }, 60_000);
});

describe('api-gateway start-up log', () => {
  it('logs its configuration with the database password and the API key masked', async () => {
    const port = await freePort();
    const url = new URL(TEST_DATABASE_URL);
    url.password = 'Sup3rS3cretPw';
    const key = 'startup-log-key-0123456789abcdef-xyz';
    const proc = spawnApp('api-gateway', { MODEL_SERVICE_API_KEY: key, DATABASE_URL: url.toString(), MODEL_SERVICE_PORT: String(port), LOG_FORMAT: 'json' });
    try {
      const up = await waitForHttp(`http://127.0.0.1:${port}/health`, (s) => s === 200, 60_000);
      expect({ status: up.status, output: up.status === 200 ? '' : proc.output() }).toEqual({ status: 200, output: '' });
      expect(proc.output()).toContain('"configuration"');
      expect(proc.output()).toContain(':***@');
      expect(proc.output()).not.toContain('Sup3rS3cretPw');
      expect(proc.output()).not.toContain(key);
    } finally {
      await proc.stop();
    }
  }, 90_000);
});
