const { appWebpackConfig } = require('../../tools/build/app-webpack.config');

module.exports = appWebpackConfig('api-gateway', {
  // The ops dashboard (src/dashboard/dashboard-static.ts): its page and uPlot's two files, copied next to
  // main.js so the image serves them without the uplot package.
  assets: [
    { input: 'apps/api-gateway/src/dashboard/public', glob: '**/*', output: 'dashboard' },
    { input: 'node_modules/uplot/dist', glob: '{uPlot.iife.min.js,uPlot.min.css}', output: 'dashboard/vendor' },
  ],
});
