import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * An image keeps of node_modules only what its app's bundle still requires and what that depends
 * on (tools/build/prune-runtime-deps.mjs, run by docker/app.Dockerfile), found the way Node
 * resolves a package: its own nested node_modules first, then each parent's.
 */
const ROOT = join(__dirname, '../../../..');
const PRUNE = join(ROOT, 'tools/build/prune-runtime-deps.mjs');

type Manifest = { dependencies?: Record<string, string>; optionalDependencies?: Record<string, string>; peerDependencies?: Record<string, string> };

/** A package directory with its package.json and one file. */
function installPackage(dir: string, manifest: Manifest = {}): void {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: dir, version: '1.0.0', ...manifest }));
  writeFileSync(join(dir, 'index.js'), 'module.exports = 1;\n');
}

/** The package directories left, relative to node_modules (nested ones as `a/node_modules/b`). */
function packagesLeft(modulesDir: string, prefix = ''): string[] {
  const left: string[] = [];
  for (const name of readdirSync(modulesDir)) {
    const path = join(modulesDir, name);
    const names = name.startsWith('@') ? readdirSync(path).map((scoped) => `${name}/${scoped}`) : [name];
    for (const pkg of names) {
      left.push(`${prefix}${pkg}`);
      const nested = join(modulesDir, pkg, 'node_modules');
      if (existsSync(nested)) left.push(...packagesLeft(nested, `${prefix}${pkg}/node_modules/`));
    }
  }
  return left.sort();
}

describe('prune-runtime-deps', () => {
  let dir: string;
  const modules = () => join(dir, 'node_modules');
  const prune = (list: unknown) => {
    writeFileSync(join(dir, 'runtime-packages.json'), JSON.stringify(list));
    return execFileSync(process.execPath, [PRUNE, dir, join(dir, 'runtime-packages.json')], { encoding: 'utf8' });
  };

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'prune-runtime-deps-'));
    const at = (name: string) => join(modules(), name);
    installPackage(at('a'), { dependencies: { b: '1' }, optionalDependencies: { 'not-installed': '1' } });
    installPackage(at('b'), { dependencies: { c: '1' } });
    installPackage(at('c'));
    installPackage(at('@s/f'), { dependencies: { g: '2' }, peerDependencies: { c: '1' } });
    installPackage(at('@s/f/node_modules/g')); // g 2, nested: what @s/f resolves
    installPackage(at('g')); // g 1, used by nothing kept
    installPackage(at('unused'), { dependencies: { a: '1' } });
    installPackage(at('unused/node_modules/h'));
    installPackage(at('@s/e'));
    mkdirSync(at('.bin'));
  });

  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('keeps the listed packages and their dependencies, nested ones where Node finds them, and removes the rest', () => {
    const out = prune(['a', '@s/f', 'not-installed-either']);
    expect(packagesLeft(modules())).toEqual(['@s/f', '@s/f/node_modules/g', 'a', 'b', 'c']);
    expect(existsSync(join(modules(), '.bin'))).toBe(false);
    expect(out).toContain('kept 5 package(s) for a, @s/f, not-installed-either; removed 3');
  });

  it('keeps every package of an app that is not bundled (a list of null)', () => {
    const before = packagesLeft(modules());
    expect(prune(null)).toContain('every package kept');
    expect(packagesLeft(modules())).toEqual(before);
  });
});
