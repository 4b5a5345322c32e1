import { execSync, spawnSync } from 'node:child_process';
import { join } from 'node:path';

const ROOT = join(__dirname, '../../..');

/** The lint rules that keep apps and libs apart really fire (issue 2). */
describe('module boundaries', () => {
  beforeAll(() => {
    execSync('npx nx show projects', { cwd: ROOT, stdio: 'ignore' }); // caches the project graph the rule reads
  }, 60_000);

  // The ESLint CLI (its flat config is ESM, which jest's module loader does not import).
  async function errors(file: string, code: string): Promise<string[]> {
    const run = spawnSync(
      process.execPath,
      [join(ROOT, 'node_modules/eslint/bin/eslint.js'), '--format', 'json', '--stdin', '--stdin-filename', join(ROOT, file)],
      { cwd: ROOT, input: code, encoding: 'utf8' },
    );
    const [result] = JSON.parse(run.stdout) as { messages: { ruleId: string; message: string }[] }[];
    return result.messages.filter((m) => m.ruleId === '@nx/enforce-module-boundaries').map((m) => m.message);
  }

  it.each([
    ['an app importing another app', 'apps/trainer/src/probe.ts', "import { AppModule } from '../../api-gateway/src/app.module';\nexport const x = AppModule;\n"],
    ['a shared lib importing TensorFlow.js', 'libs/features/src/probe.ts', "import * as tf from '@tensorflow/tfjs';\nexport const x = tf;\n"],
    ['exit-strategy importing TensorFlow.js', 'apps/exit-strategy/src/probe.ts', "import * as tf from '@tensorflow/tfjs';\nexport const x = tf;\n"],
    ['a shared lib importing the ml lib', 'libs/signals/src/probe.ts', "import * as ml from '@model-service/ml';\nexport const x = ml;\n"],
  ])('rejects %s', async (_name, file, code) => {
    expect(await errors(file, code)).not.toEqual([]);
  });

  it.each([
    ['the trainer importing TensorFlow.js', 'apps/trainer/src/probe.ts', "import * as tf from '@tensorflow/tfjs';\nexport const x = tf;\n"],
    ['the ml lib importing TensorFlow.js', 'libs/ml/src/probe.ts', "import * as tf from '@tensorflow/tfjs';\nexport const x = tf;\n"],
    ['an app importing a shared lib', 'apps/api-gateway/src/probe.ts', "import { Logger } from '@model-service/util';\nexport const x = Logger;\n"],
  ])('allows %s', async (_name, file, code) => {
    expect(await errors(file, code)).toEqual([]);
  });
});
