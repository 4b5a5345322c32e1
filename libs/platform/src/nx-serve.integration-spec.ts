import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const ROOT = join(__dirname, '../../..');

/**
 * `npx nx serve <app>` is how developers start an app; when the app stops at start-up (here: a config
 * error) Nx must report the failure and exit non-zero, not "Successfully ran target serve".
 */
describe('nx serve', () => {
  it('fails, naming the variable, when the app exits non-zero at start-up', () => {
    const run = spawnSync('npx', ['nx', 'serve', 'exit-strategy', '--skip-nx-cache'], {
      cwd: ROOT,
      env: { ...process.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true', CI: 'true', MODEL_SERVICE_LOG_LEVEL: 'bogus' },
      encoding: 'utf8',
      timeout: 120_000,
    });
    const output = `${run.stdout}${run.stderr}`;
    expect(output).toContain('MODEL_SERVICE_LOG_LEVEL');
    expect(output).not.toContain('Successfully ran target serve');
    expect(run.status).not.toBe(0);
  }, 150_000);
});
