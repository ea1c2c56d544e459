// `npx nx bundle api`: type-checks the dashboard and bundles it with esbuild into
// dist/apps/api/dashboard (index.html, dashboard.js, dashboard.css), where the API serves it.
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '../../..');
const outdir = process.env.DASHBOARD_OUT ?? join(root, 'dist/apps/api/dashboard');

if (!process.argv.includes('--no-check')) {
  execFileSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', join(here, 'tsconfig.json')], { stdio: 'inherit' });
}
mkdirSync(outdir, { recursive: true });
await build({
  entryPoints: [join(here, 'src/main.ts')],
  outfile: join(outdir, 'dashboard.js'),
  bundle: true,
  minify: true,
  sourcemap: false,
  format: 'esm',
  target: 'es2022',
  logLevel: 'warning',
});
for (const file of ['index.html', 'dashboard.css']) copyFileSync(join(here, file), join(outdir, file));
console.log(`dashboard bundled into ${outdir}`);
