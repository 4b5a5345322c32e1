const { appWebpackConfig } = require('../../tools/build/app-webpack.config');

module.exports = appWebpackConfig('trainer', {
  // Native TensorFlow is an optional dependency (present in the Docker image, absent elsewhere): never bundle
  // or resolve it at build time; libs/ml requires it at run time and falls back to wasm / cpu.
  externals: { '@tensorflow/tfjs-node': 'commonjs @tensorflow/tfjs-node' },
  // libs/ml's resolveWorkerScript() looks for training-worker.js next to the bundle.
  additionalEntryPoints: [{ entryName: 'training-worker', entryPath: 'libs/ml/src/training/training-worker.ts' }],
  // The TensorFlow.js backends are loaded by name at run time.
  runtimeDependencies: ['@tensorflow/tfjs', '@tensorflow/tfjs-backend-wasm'],
});
