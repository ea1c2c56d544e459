import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(__dirname, '../../../..');

/** The apps that exist in this checkout (a Dockerfile build argument APP names one). */
export function appNames(): string[] {
  return readdirSync(join(ROOT, 'apps')).filter((name) => existsSync(join(ROOT, 'apps', name, 'project.json')));
}

/**
 * The environment settings an app can read: every quoted upper-case name (`'KAFKA_BROKERS'`) in
 * its sources and the libraries' (settings are read by name in one config file per app, and by
 * kafka-io for the shared Kafka ones). A deployment file that sets a name outside this set has
 * a typo, or sets something that no longer exists.
 */
export function appSettings(app: string): Set<string> {
  const names = new Set<string>();
  for (const dir of [join(ROOT, 'apps', app, 'src'), join(ROOT, 'libs')]) {
    for (const file of sourceFiles(dir)) {
      for (const match of readFileSync(file, 'utf8').matchAll(/['"`]([A-Z][A-Z0-9_]{2,})['"`]/g)) names.add(match[1]);
    }
  }
  return names;
}

function sourceFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.ts') && !/\.(int-)?spec\.ts$/.test(entry.name))
    .map((entry) => join(entry.parentPath, entry.name))
    .filter((file) => !file.includes('/testing/') && !file.includes('/node_modules/'));
}
