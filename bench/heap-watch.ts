import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';

interface ProfileNode {
  callFrame: { functionName: string; url: string; lineNumber: number };
  selfSize: number;
  children: ProfileNode[];
}

/**
 * Where the live heap is when it first passes `thresholdMb` during a run:
 * V8's sampling heap profiler (objects still alive when the profile is read,
 * by the stack that allocated them). Reports the top stacks by live size and
 * writes the full profile (open it in Chrome DevTools, Memory tab) to `file`.
 * A diagnostic of the bench (BENCH_HEAP_WATCH_MB), never used by the service.
 */
export async function startHeapWatch(thresholdMb: number, file: string, log: (m: string) => void): Promise<{ stop(): Promise<void> }> {
  const session = new Session();
  session.connect();
  await session.post('HeapProfiler.startSampling', { samplingInterval: 64 * 1024 });
  let taken = false;
  let reading: Promise<void> = Promise.resolve();
  const timer = setInterval(() => {
    if (taken || process.memoryUsage().heapUsed < thresholdMb * 1048576) return;
    taken = true;
    reading = (async () => {
      const { profile } = (await session.post('HeapProfiler.getSamplingProfile')) as { profile: { head: ProfileNode } };
      writeFileSync(file, JSON.stringify(profile));
      log(`heap passed ${thresholdMb} MB (used ${Math.round(process.memoryUsage().heapUsed / 1048576)} MB); live objects by allocating stack (profile in ${file}):`);
      for (const line of topStacks(profile.head, 15)) log(`  ${line}`);
    })();
  }, 50);
  return {
    async stop() {
      clearInterval(timer);
      await reading;
      await session.post('HeapProfiler.stopSampling');
      session.disconnect();
    },
  };
}

/** The heaviest allocating stacks: each leaf's live bytes with its last few app frames. */
function topStacks(head: ProfileNode, n: number): string[] {
  const leaves: Array<{ size: number; stack: string[] }> = [];
  const walk = (node: ProfileNode, stack: string[]) => {
    const f = node.callFrame;
    const here = f.url.includes('/dist/') ? [...stack, `${f.functionName || '(anonymous)'} ${f.url.split('/dist/')[1]}:${f.lineNumber + 1}`] : stack;
    if (node.selfSize > 0) leaves.push({ size: node.selfSize, stack: here.length ? here : [`${f.functionName || '(anonymous)'} ${f.url || '(native)'}`] });
    for (const c of node.children) walk(c, here);
  };
  walk(head, []);
  const byStack = new Map<string, number>();
  for (const l of leaves) {
    const key = l.stack.slice(-4).reverse().join(' < ');
    byStack.set(key, (byStack.get(key) ?? 0) + l.size);
  }
  return [...byStack.entries()].sort((a, b) => b[1] - a[1]).slice(0, n).map(([k, v]) => `${Math.round(v / 1048576)} MB  ${k}`);
}
