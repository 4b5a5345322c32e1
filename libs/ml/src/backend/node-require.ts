/**
 * Node's own `require`, even inside a webpack bundle.
 *
 * webpack rewrites `require` / `require.resolve` at build time (a `require.resolve` of an external becomes a
 * module id, an optional package that is absent at build time becomes a build error). `__non_webpack_require__`
 * is webpack's escape hatch: it is emitted as the plain `require` of the running bundle.
 *
 * Outside webpack that identifier does not exist and this module's own `require` is used (ts-node, ts-jest with
 * its module registry, tsc output). It is read through a direct `eval` only so that webpack does not see a bare
 * `require` value and warn "Critical dependency: require function is used in a way ..." in every app build.
 */
declare const __non_webpack_require__: NodeJS.Require | undefined;

export const nodeRequire: NodeJS.Require =
  typeof __non_webpack_require__ === 'function' ? __non_webpack_require__ : (eval('require') as NodeJS.Require);
