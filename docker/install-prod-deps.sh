#!/bin/sh
# Installs the production node_modules of ONE built app, inside the Docker build (stage prod-deps).
#
# Input, in the current directory: the package.json and package-lock.json that the app's webpack build
# generates next to main.js (NxAppWebpackPlugin `generatePackageJson`): only the packages the app and
# its libs import, pinned to the versions of the root lockfile. Also /tmp/workspace-package.json (the
# root package.json) for the pinned @tensorflow/tfjs-node version.
#
# Usage: install-prod-deps.sh <app> <tfjs-node: auto|true|false>
#   auto = true for the trainer only. With true, @tensorflow/tfjs-node (native libtensorflow, fast
#   training) is installed and must load; with false it is removed, and TensorFlow.js code runs on the
#   wasm/cpu backends (signal-generator's inference does, see libs/ml's inference entry point).
set -eu

app="${1:?usage: install-prod-deps.sh <app> <auto|true|false>}"
tfjs_node="${2:-auto}"
TFJS_NODE_PKG='@tensorflow/tfjs-node'

case "$tfjs_node" in
  auto) if [ "$app" = trainer ]; then tfjs_node=true; else tfjs_node=false; fi ;;
  true | false) ;;
  *) echo "install-prod-deps: TFJS_NODE must be auto, true or false (got '$tfjs_node')" >&2; exit 2 ;;
esac

has_dep() { node -e "process.exit(require('./package.json').dependencies?.[process.argv[1]] ? 0 : 1)" "$1"; }

# Packages that the frameworks load by name at run time, which the build's import scan cannot see.
# A missing one only shows as a crash when the container starts, so stop the image build instead.
require_with() {
  trigger="$1"; needed="$2"
  if has_dep "$trigger" && ! has_dep "$needed"; then
    echo "install-prod-deps: $app uses $trigger, which loads $needed at run time, but the generated" >&2
    echo "  dist/apps/$app/package.json does not list it. Add it to runtimeDependencies in the" >&2
    echo "  NxAppWebpackPlugin options of apps/$app/webpack.config.js, e.g. runtimeDependencies: ['$needed']." >&2
    exit 1
  fi
}
require_with typeorm pg
require_with @nestjs/core @nestjs/platform-express

if [ "$tfjs_node" = false ]; then
  # Dropping it from package.json is enough: npm ci installs what package.json needs and skips
  # lockfile entries nothing depends on (verified with npm 10.8 and 11).
  if has_dep "$TFJS_NODE_PKG"; then npm pkg delete "dependencies.$TFJS_NODE_PKG"; fi
  npm ci --omit=dev --no-audit --no-fund
else
  npm ci --omit=dev --no-audit --no-fund
  if ! has_dep "$TFJS_NODE_PKG"; then
    # The trainer's code loads tfjs-node in a way the import scan missed: add the workspace's pinned
    # version (its own dependencies then resolve from the registry instead of the lockfile).
    version="$(node -p "require('/tmp/workspace-package.json').optionalDependencies['$TFJS_NODE_PKG']")"
    echo "install-prod-deps: $app's package.json does not list $TFJS_NODE_PKG; installing $version" >&2
    npm install --omit=dev --no-save --no-audit --no-fund "$TFJS_NODE_PKG@$version"
  fi
  # The install script downloads libtensorflow; npm skips a failed optional package silently, so
  # check that the native binding really loads here rather than at the first training run.
  node -e "require('$TFJS_NODE_PKG'); console.log('install-prod-deps: $TFJS_NODE_PKG loads')"
fi
