/**
 * Reads a V8 CPU profile (`node --cpu-prof`, e.g. bench:e2e with
 * `BENCH_VARIANTS='{"prof":{"nodeFlags":"--max-semi-space-size=8 --max-old-space-size=192 --cpu-prof --cpu-prof-dir=/tmp/prof"}}'`)
 * and prints where the time went: by part (kafkajs, GC, the price scanner, the window engine, …)
 * and the functions of most self time; with a second argument, writes a flame graph there (SVG).
 * Parts are told by file, so profile tsc's output rather than the build's bundle (one file):
 * `tsc -p apps/aggregator/tsconfig.app.json --outDir dist/tsc-aggregator && tsc-alias -p
 * apps/aggregator/tsconfig.app.json --outDir dist/tsc-aggregator`, and `"main"` in the variant
 * names its `apps/aggregator/src/main.js`.
 *
 *   node -r @swc-node/register apps/aggregator/bench/cpu-profile.ts FILE.cpuprofile [flame.svg]
 */
import { readFileSync, writeFileSync } from 'node:fs';

interface ProfileNode {
  readonly id: number;
  readonly callFrame: { readonly functionName: string; readonly url: string; readonly lineNumber: number };
  readonly children?: readonly number[];
}
interface Profile {
  readonly nodes: readonly ProfileNode[];
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}

const PARTS: ReadonlyArray<readonly [string, (node: ProfileNode) => boolean]> = [
  ['idle', (n) => n.callFrame.functionName === '(idle)'],
  ['garbage collector', (n) => n.callFrame.functionName === '(garbage collector)'],
  ['kafkajs', (n) => n.callFrame.url.includes('node_modules/kafkajs')],
  ['mysql2', (n) => n.callFrame.url.includes('node_modules/mysql2')],
  ['libs/schema (scanner, validation)', (n) => n.callFrame.url.includes('libs/schema')],
  ['libs/windowing (engine)', (n) => n.callFrame.url.includes('libs/windowing')],
  ['apps/aggregator', (n) => n.callFrame.url.includes('apps/aggregator')],
  ['other dependencies', (n) => n.callFrame.url.includes('node_modules')],
  ['node (module loading, buffers, streams, …)', () => true],
];

function main(): void {
  const [file, svg] = process.argv.slice(2);
  const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const selfUs = new Map<number, number>();
  profile.samples.forEach((id, i) => selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
  const totalUs = [...selfUs.values()].reduce((a, b) => a + b, 0);
  const idleUs = profile.nodes.filter((n) => n.callFrame.functionName === '(idle)').reduce((sum, n) => sum + (selfUs.get(n.id) ?? 0), 0);
  const busyUs = totalUs - idleUs;
  const parts = new Map<string, number>();
  const functions = new Map<string, number>();
  for (const node of profile.nodes) {
    const us = selfUs.get(node.id) ?? 0;
    if (us === 0) continue;
    const part = PARTS.find(([, matches]) => matches(node))![0];
    parts.set(part, (parts.get(part) ?? 0) + us);
    functions.set(nameOf(node), (functions.get(nameOf(node)) ?? 0) + us);
  }
  const line = (us: number, what: string) => `${((us / busyUs) * 100).toFixed(1).padStart(5)} %  ${(us / 1000).toFixed(0).padStart(6)} ms  ${what}`;
  console.log(`${(totalUs / 1000).toFixed(0)} ms sampled, ${(busyUs / 1000).toFixed(0)} ms busy (shares of busy time)`);
  for (const [part, us] of [...parts].sort((a, b) => b[1] - a[1])) if (part !== 'idle') console.log(line(us, part));
  console.log('most self time:');
  for (const [name, us] of [...functions].sort((a, b) => b[1] - a[1]).slice(0, 25)) if (!name.startsWith('(idle)')) console.log(line(us, name));
  if (svg) writeFileSync(svg, flameGraph(profile, byId, selfUs));
}

function nameOf(node: ProfileNode): string {
  const { functionName, url, lineNumber } = node.callFrame;
  const where = url.replace(/^.*\/(node_modules|libs|apps)\//, '$1/').replace(/^file:\/\//, '');
  return `${functionName || '(anonymous)'}${where ? ` ${where}:${lineNumber + 1}` : ''}`;
}

/** A flame graph: the root at the bottom, each frame as wide as its inclusive time; idle left out. */
function flameGraph(profile: Profile, byId: ReadonlyMap<number, ProfileNode>, selfUs: ReadonlyMap<number, number>): string {
  const inclusive = new Map<number, number>();
  const total = (id: number): number => {
    const node = byId.get(id)!;
    const us = (node.callFrame.functionName === '(idle)' ? 0 : selfUs.get(id) ?? 0) + (node.children ?? []).reduce((sum, child) => sum + total(child), 0);
    inclusive.set(id, us);
    return us;
  };
  const rootId = profile.nodes[0].id;
  const rootUs = total(rootId);
  const width = 1600;
  const rowHeight = 16;
  const boxes: string[] = [];
  let depthMax = 0;
  const draw = (id: number, x: number, depth: number) => {
    const us = inclusive.get(id)!;
    const w = (us / rootUs) * width;
    if (w < 2) return;
    depthMax = Math.max(depthMax, depth);
    const node = byId.get(id)!;
    boxes.push(box(x, depth, w, nameOf(node), us, rootUs));
    let childX = x;
    for (const child of node.children ?? []) {
      draw(child, childX, depth + 1);
      childX += ((inclusive.get(child) ?? 0) / rootUs) * width;
    }
  };
  draw(rootId, 0, 0);
  const height = (depthMax + 1) * rowHeight;
  const placed = boxes.map((b) => b.replace(/Y\((\d+)\)/g, (_, depth: string) => String(height - (Number(depth) + 1) * rowHeight)));
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="monospace" font-size="11">\n${placed.join('\n')}\n</svg>\n`;
}

function box(x: number, depth: number, w: number, name: string, us: number, rootUs: number): string {
  const hue = name.includes('kafkajs') ? 30 : name.includes('libs/schema') ? 200 : name.includes('libs/windowing') ? 120 : name.includes('garbage') ? 0 : name.includes('apps/aggregator') ? 270 : 50;
  const title = `${escape(name)}: ${(us / 1000).toFixed(1)} ms, ${((us / rootUs) * 100).toFixed(1)} %`;
  const label = w > 40 ? `<text x="${(x + 3).toFixed(1)}" y="Y(${depth})" dy="12">${escape(name.slice(0, Math.floor(w / 7)))}</text>` : '';
  return `<g><title>${title}</title><rect x="${x.toFixed(1)}" y="Y(${depth})" width="${w.toFixed(1)}" height="15" fill="hsl(${hue},70%,${60 + (depth % 3) * 6}%)"/>${label}</g>`;
}

function escape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

main();
