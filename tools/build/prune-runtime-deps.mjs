// Keeps in an installed node_modules only what a bundled app still loads at run time: the
// packages its bundle left as `require`s (runtime-packages.json, written by bundle-app.mjs) and
// everything they depend on, resolved the way Node resolves them; every other package is removed.
// The images run on it (docker/app.Dockerfile): a bundle carries its other dependencies inside.
//
//   node tools/build/prune-runtime-deps.mjs <dir with node_modules> <runtime-packages.json>
//
// A list of `null` (an app that is not bundled: the api) keeps every package.
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The directory of package `name` as Node finds it from `fromDir`: its node_modules, then each parent's, up to `rootDir`. */
function resolvePackageDir(name, fromDir, rootDir) {
  for (let dir = fromDir; ; dir = dirname(dir)) {
    const candidate = join(dir, 'node_modules', name);
    if (existsSync(join(candidate, 'package.json'))) return candidate;
    if (dir === rootDir || dirname(dir) === dir) return undefined;
  }
}

/**
 * The package directories `roots` need under `rootDir`: each root and, transitively, its
 * dependencies, optional and peer dependencies that are installed. A root that is not installed
 * is skipped (bundle-app leaves the missing optional modules as `require`s too).
 */
export function runtimePackageDirs(rootDir, roots) {
  const kept = new Set();
  const queue = roots.map((name) => ({ name, fromDir: rootDir }));
  while (queue.length > 0) {
    const { name, fromDir } = queue.pop();
    const dir = resolvePackageDir(name, fromDir, rootDir);
    if (dir === undefined || kept.has(dir)) continue;
    kept.add(dir);
    const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
    for (const field of ['dependencies', 'optionalDependencies', 'peerDependencies']) {
      for (const dependency of Object.keys(manifest[field] ?? {})) queue.push({ name: dependency, fromDir: dir });
    }
  }
  return kept;
}

/** Every package directory under `modulesDir` (scoped and nested ones too). */
function packageDirsUnder(modulesDir) {
  const dirs = [];
  for (const entry of readdirSync(modulesDir, { withFileTypes: true })) {
    if (!entry.isDirectory() || entry.name.startsWith('.')) continue;
    const path = join(modulesDir, entry.name);
    const packages = entry.name.startsWith('@') ? readdirSync(path, { withFileTypes: true }).filter((scoped) => scoped.isDirectory()).map((scoped) => join(path, scoped.name)) : [path];
    for (const dir of packages) {
      dirs.push(dir);
      if (existsSync(join(dir, 'node_modules'))) dirs.push(...packageDirsUnder(join(dir, 'node_modules')));
    }
  }
  return dirs;
}

/** Removes from `rootDir`/node_modules every package `roots` do not need; returns the names removed and kept. */
export function pruneRuntimeDeps(rootDir, roots) {
  const modulesDir = join(rootDir, 'node_modules');
  const nameOf = (dir) => relative(modulesDir, dir).split(sep).join('/');
  const kept = runtimePackageDirs(rootDir, roots);
  const removed = [];
  for (const dir of packageDirsUnder(modulesDir)) {
    if (kept.has(dir) || !existsSync(dir)) continue;
    // A package that is removed takes its nested node_modules with it: none of those is kept either,
    // since Node resolves a nested package only from inside its parent.
    rmSync(dir, { recursive: true, force: true });
    removed.push(nameOf(dir));
  }
  rmSync(join(modulesDir, '.bin'), { recursive: true, force: true });
  return { kept: [...kept].map(nameOf).sort(), removed };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [rootDir, listFile] = process.argv.slice(2);
  if (!rootDir || !listFile) {
    process.stderr.write('usage: node tools/build/prune-runtime-deps.mjs <dir with node_modules> <runtime-packages.json>\n');
    process.exit(2);
  }
  const roots = JSON.parse(readFileSync(listFile, 'utf8'));
  if (roots === null) {
    process.stdout.write('prune-runtime-deps: not a bundled app, every package kept\n');
  } else {
    const { kept, removed } = pruneRuntimeDeps(rootDir, roots);
    process.stdout.write(`prune-runtime-deps: kept ${kept.length} package(s) for ${roots.join(', ') || 'nothing'}; removed ${removed.length}\n`);
  }
}
