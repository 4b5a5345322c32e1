const { NxAppWebpackPlugin } = require('@nx/webpack/app-plugin');
const { join } = require('path');

module.exports = {
  output: { path: join(__dirname, '../../dist/apps/trainer') },
  // Native TensorFlow is an optional dependency (present in the Docker image, absent elsewhere): never bundle
  // or resolve it at build time; libs/ml requires it at run time and falls back to wasm / cpu.
  externals: { '@tensorflow/tfjs-node': 'commonjs @tensorflow/tfjs-node' },
  plugins: [
    new NxAppWebpackPlugin({
      target: 'node',
      compiler: 'tsc',
      main: './src/main.ts',
      // libs/ml's resolveWorkerScript() looks for training-worker.js next to the bundle.
      additionalEntryPoints: [{ entryName: 'training-worker', entryPath: 'libs/ml/src/training/training-worker.ts' }],
      tsConfig: './tsconfig.app.json',
      optimization: false,
      outputHashing: 'none',
      generatePackageJson: true,
      externalDependencies: 'all',
      // Loaded by name at run time (TypeORM's driver, Nest's HTTP adapter, TensorFlow.js backends), so the import scan misses them.
      runtimeDependencies: ['pg', '@nestjs/platform-express', '@tensorflow/tfjs', '@tensorflow/tfjs-backend-wasm'],
    }),
  ],
};
