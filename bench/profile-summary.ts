import { readFileSync } from 'node:fs';
import { relative } from 'node:path';

/**
 * Summarises a V8 CPU profile (from `node --cpu-prof dist/bench/run.js …`):
 * the functions with the most self time, the most inclusive time, and self
 * time per source file.
 *
 *   node dist/bench/profile-summary.js CPU.…cpuprofile [--top 30] [--match src/]
 */
interface Node {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: Node[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

function main(): void {
  const args = process.argv.slice(2);
  const file = args.find((a) => !a.startsWith('--'));
  if (!file) throw new Error('usage: profile-summary FILE.cpuprofile [--top N] [--match TEXT]');
  const opt = (name: string) => {
    const i = args.indexOf(name);
    return i >= 0 ? args[i + 1] : undefined;
  };
  const top = Number(opt('--top') ?? 30);
  const match = opt('--match');
  const p = JSON.parse(readFileSync(file, 'utf8')) as Profile;
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const selfUs = new Map<number, number>();
  p.samples.forEach((id, i) => selfUs.set(id, (selfUs.get(id) ?? 0) + (p.timeDeltas[i] ?? 0)));
  const label = (n: Node) => {
    const url = n.callFrame.url ? relative(process.cwd(), n.callFrame.url.replace('file://', '')) : '';
    return `${n.callFrame.functionName || '(anonymous)'} ${url}:${n.callFrame.lineNumber + 1}`;
  };
  const fileOf = (n: Node) => (n.callFrame.url ? relative(process.cwd(), n.callFrame.url.replace('file://', '')) : n.callFrame.functionName);
  const self = new Map<string, number>();
  const total = new Map<string, number>();
  const perFile = new Map<string, number>();
  for (const [id, us] of selfUs) {
    const n = byId.get(id)!;
    self.set(label(n), (self.get(label(n)) ?? 0) + us);
    perFile.set(fileOf(n), (perFile.get(fileOf(n)) ?? 0) + us);
    const seen = new Set<string>();
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
      const l = label(byId.get(cur)!);
      if (seen.has(l)) continue; // recursion counts once
      seen.add(l);
      total.set(l, (total.get(l) ?? 0) + us);
    }
  }
  const all = (p.endTime - p.startTime) / 1000;
  const show = (title: string, m: Map<string, number>) => {
    process.stdout.write(`\n${title}\n`);
    [...m].filter(([k]) => !match || k.includes(match)).sort((a, b) => b[1] - a[1]).slice(0, top)
      .forEach(([k, us]) => process.stdout.write(`${(us / 1000).toFixed(0).padStart(8)} ms ${((us / 1000 / all) * 100).toFixed(1).padStart(5)}%  ${k}\n`));
  };
  process.stdout.write(`profile: ${all.toFixed(0)} ms, ${p.samples.length} samples\n`);
  show('self time', self);
  show('inclusive time', total);
  show('self time per file', perFile);
}

main();
