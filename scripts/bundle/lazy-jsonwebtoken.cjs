// Stands in for `jsonwebtoken` in the bundle (scripts/bundle-cli.mjs): msal-node imports it only
// to sign a certificate credential's client assertion (`jwt.sign`), but evaluating it at load
// evaluates its `semver` ranges and `jws` at every start of the CLI. Here the real module (bundled
// all the same) is evaluated on first use of one of its exports instead.
/* global require, module */
"use strict";
let real;
// A CommonJS require inside a function: rolldown bundles the module and evaluates it at this call.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const load = () => (real ??= require("jsonwebtoken"));
for (const name of ["decode", "verify", "sign", "JsonWebTokenError", "NotBeforeError", "TokenExpiredError"]) {
  Object.defineProperty(module.exports, name, { enumerable: true, get: () => load()[name] });
}
