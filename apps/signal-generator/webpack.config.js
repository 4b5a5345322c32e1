const { appWebpackConfig } = require('../../tools/build/app-webpack.config');

module.exports = appWebpackConfig('signal-generator');
