import { describeServiceStartup, spawnApp } from '@model-service/platform/testing';

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
