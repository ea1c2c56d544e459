// Bundles an app's compiled main.js (the output of tsc, which keeps the decorator metadata Nest's
// injection reads and esbuild cannot emit) with its dependencies into one file beside it,
// main.bundle.js, and makes main.js a loader of that file with V8's compile cache on:
//
//   node tools/build/bundle-app.mjs dist/apps/<app>/apps/<app>/src/main.js
//
// Start-up is mostly module loading: the tsc output makes node resolve, read and compile about
// 1,900 files of node_modules one by one; one file makes that a single read and compile, and
// the compile cache (in os.tmpdir(), or NODE_COMPILE_CACHE) spares a restart most of the compile.
// Packages that are not installed stay plain `require`s: they are the optional ones that Nest,
// terminus and kafkajs load inside try/catch (other transports, ORMs), which fail at run time
// as they did before. pino stays outside too (its pretty transport starts a worker thread by
// file name), and so does DuckDB (a native addon). The installed packages the bundle still
// requires are listed in runtime-packages.json beside main.js: what the app's image keeps of
// node_modules (tools/build/prune-runtime-deps.mjs).
import { build } from 'esbuild';
import { rm, writeFile } from 'node:fs/promises';
import { createRequire, isBuiltin } from 'node:module';
import { basename, dirname, join } from 'node:path';

const [file] = process.argv.slice(2);
if (!file) throw new Error('usage: node tools/build/bundle-app.mjs <compiled main.js>');
const require = createRequire(import.meta.url);
const bundle = join(dirname(file), basename(file, '.js') + '.bundle.js');

const missingStayExternal = {
  name: 'missing-stay-external',
  setup(bundler) {
    bundler.onResolve({ filter: /^[^./]/ }, ({ path, resolveDir }) => {
      try {
        require.resolve(path, { paths: [resolveDir] });
        return undefined;
      } catch {
        return { path, external: true };
      }
    });
  },
};

const { metafile } = await build({
  entryPoints: [file],
  outfile: bundle,
  bundle: true,
  platform: 'node',
  target: 'node24',
  // Nest names providers and loggers by class name: no renaming.
  keepNames: true,
  minifyWhitespace: true,
  minifySyntax: true,
  external: ['pino', 'pino-pretty', 'thread-stream', '@duckdb/*'],
  plugins: [missingStayExternal],
  logLevel: 'warning',
  metafile: true,
});

/** `pino/file` → `pino`, `@duckdb/node-api/x` → `@duckdb/node-api`. */
const packageOf = (path) => path.split('/').slice(0, path.startsWith('@') ? 2 : 1).join('/');
/** Whether the bundle's `require(path)` finds anything (not the optional modules that are missing). */
const resolves = (path) => {
  try {
    require.resolve(path);
    return true;
  } catch {
    return false;
  }
};
const required = new Set();
for (const output of Object.values(metafile.outputs)) {
  for (const { path, external } of output.imports) if (external && !isBuiltin(path) && resolves(path)) required.add(packageOf(path));
}
await writeFile(join(dirname(file), 'runtime-packages.json'), `${JSON.stringify([...required].sort())}\n`);

// The cache must be on before the bundle is compiled, so in a file of its own. enableCompileCache
// never throws: where the directory cannot be written the app starts without it.
await rm(`${file}.map`, { force: true });
await writeFile(file, `'use strict';
// Written by tools/build/bundle-app.mjs: the app is ${basename(bundle)}, compiled with V8's compile cache.
require('node:module').enableCompileCache?.();
require('./${basename(bundle)}');
`);
