import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';

const ROOT = join(__dirname, '../../..');

const TF = "import * as tf from '@tensorflow/tfjs';\nexport const x = tf;\n";
const CASES: { name: string; dir: string; code: string; rejected: boolean }[] = [
  { name: 'an app importing another app', dir: 'apps/trainer/src', code: "import { AppModule } from '../../api-gateway/src/app.module';\nexport const x = AppModule;\n", rejected: true },
  { name: 'a shared lib importing TensorFlow.js', dir: 'libs/features/src', code: TF, rejected: true },
  { name: 'exit-strategy importing TensorFlow.js', dir: 'apps/exit-strategy/src', code: TF, rejected: true },
  { name: 'a shared lib importing the ml lib', dir: 'libs/signals/src', code: "import * as ml from '@model-service/ml';\nexport const x = ml;\n", rejected: true },
  { name: 'a lib importing an app', dir: 'libs/util/src', code: "import { AppModule } from '../../../apps/trainer/src/app.module';\nexport const x = AppModule;\n", rejected: true },
  { name: 'a tool importing an app', dir: 'tools/demo/src', code: "import { AppModule } from '../../../apps/trainer/src/app.module';\nexport const x = AppModule;\n", rejected: true },
  { name: 'an app importing a tool', dir: 'apps/trainer/src', code: "import { DEMO_APPS } from '@model-service/demo';\nexport const x = DEMO_APPS;\n", rejected: true },
  { name: 'the trainer importing TensorFlow.js', dir: 'apps/trainer/src', code: TF, rejected: false },
  { name: 'a tool importing a lib and another tool', dir: 'tools/bench/src', code: "import { DEMO_APPS } from '@model-service/demo';\nimport { Logger } from '@model-service/util';\nexport const x = [DEMO_APPS, Logger];\n", rejected: false },
  { name: 'the ml lib importing TensorFlow.js', dir: 'libs/ml/src', code: TF, rejected: false },
  { name: 'an app importing a shared lib', dir: 'apps/api-gateway/src', code: "import { Logger } from '@model-service/util';\nexport const x = Logger;\n", rejected: false },
];

/** The lint rules that keep apps, libs and tools apart really fire. One ESLint run over probe files. */
describe('module boundaries', () => {
  const found = new Map<string, string[]>();

  // Each batch is linted on its own: the rejected probes form import cycles the rule would also
  // report against the allowed ones.
  function lintBatch(cases: typeof CASES): void {
    const tag = `zz-boundary-probe-${process.pid}`;
    const files = cases.map((c, i) => join(ROOT, c.dir, `${tag}-${i}.ts`));
    try {
      cases.forEach((c, i) => {
        mkdirSync(dirname(files[i]), { recursive: true });
        writeFileSync(files[i], c.code);
      });
      // The ESLint CLI: its flat config is ESM, which jest's module loader does not import.
      const run = spawnSync(process.execPath, [join(ROOT, 'node_modules/eslint/bin/eslint.js'), '--format', 'json', ...files], {
        cwd: ROOT,
        encoding: 'utf8',
        maxBuffer: 64 * 1024 * 1024,
      });
      const results = JSON.parse(run.stdout) as { filePath: string; messages: { ruleId: string; message: string }[] }[];
      const byFile = new Map(results.map((r) => [relative(ROOT, r.filePath), r.messages]));
      cases.forEach((c, i) => {
        const messages = byFile.get(relative(ROOT, files[i]));
        if (!messages) throw new Error(`ESLint did not lint the probe for "${c.name}"`);
        found.set(
          c.name,
          messages.filter((m) => m.ruleId === '@nx/enforce-module-boundaries').map((m) => m.message),
        );
      });
    } finally {
      files.forEach((f) => rmSync(f, { force: true }));
    }
  }

  beforeAll(() => {
    execFileSync('npx', ['nx', 'show', 'projects'], { cwd: ROOT, stdio: 'ignore' }); // caches the project graph the rule reads
    lintBatch(CASES.filter((c) => c.rejected));
    lintBatch(CASES.filter((c) => !c.rejected));
  }, 120_000);

  it.each(CASES.filter((c) => c.rejected).map((c) => [c.name]))('rejects %s', (name) => {
    expect(found.get(name)).not.toEqual([]);
  });

  it.each(CASES.filter((c) => !c.rejected).map((c) => [c.name]))('allows %s', (name) => {
    expect(found.get(name)).toEqual([]);
  });
});
