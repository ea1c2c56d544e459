import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The files of the bundled dashboard (`npx nx bundle api`), read once. */
export interface DashboardFiles {
  readonly dir: string | undefined;
  get(name: string): { readonly body: Buffer; readonly type: string } | undefined;
}

const TYPES: Record<string, string> = {
  'index.html': 'text/html; charset=utf-8',
  'dashboard.js': 'text/javascript; charset=utf-8',
  'dashboard.css': 'text/css; charset=utf-8',
};

/**
 * Finds the bundle: `DASHBOARD_DIR`, else next to the compiled app (dist/apps/api/dashboard),
 * else where `nx bundle api` writes it from the sources.
 */
export function loadDashboardFiles(configuredDir: string | undefined): DashboardFiles {
  const candidates = configuredDir ? [configuredDir] : [join(__dirname, '../../../../dashboard'), join(__dirname, '../../../../dist/apps/api/dashboard')];
  const dir = candidates.find((candidate) => existsSync(join(candidate, 'index.html')));
  const files = new Map<string, { body: Buffer; type: string }>();
  if (dir) {
    for (const [name, type] of Object.entries(TYPES)) {
      if (existsSync(join(dir, name))) files.set(name, { body: readFileSync(join(dir, name)), type });
    }
  }
  return { dir, get: (name) => files.get(name) };
}
