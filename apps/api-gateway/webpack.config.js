const { NxAppWebpackPlugin } = require('@nx/webpack/app-plugin');
const { join } = require('path');

module.exports = {
  output: { path: join(__dirname, '../../dist/apps/api-gateway') },
  plugins: [
    new NxAppWebpackPlugin({
      target: 'node',
      compiler: 'tsc',
      main: './src/main.ts',
      tsConfig: './tsconfig.app.json',
      optimization: false,
      outputHashing: 'none',
      generatePackageJson: true,
      externalDependencies: 'all',
      // Loaded by name at run time (TypeORM's driver, Nest's HTTP adapter), so the import scan misses them.
      runtimeDependencies: ['pg', '@nestjs/platform-express'],
      // The ops dashboard (src/dashboard/dashboard-static.ts): its page and uPlot's two files, copied next to
      // main.js so the image serves them without the uplot package.
      assets: [
        { input: 'apps/api-gateway/src/dashboard/public', glob: '**/*', output: 'dashboard' },
        { input: 'node_modules/uplot/dist', glob: '{uPlot.iife.min.js,uPlot.min.css}', output: 'dashboard/vendor' },
      ],
    }),
  ],
};
