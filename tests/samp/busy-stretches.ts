/**
 * The main thread's longest busy stretches in a CPU profile: how long a keypress arriving
 * then would have waited for the thread that answers it, counting only the thread's own work
 * (a stall meter also counts the time the machine gives to other processes). Profile a
 * benchmark, then read its main-thread profile (the file whose name ends in .0.001.cpuprofile):
 *   node --cpu-prof --cpu-prof-dir=prof --import tsx tests/samp/bench-send.ts 100000 3 fits
 *   npx tsx tests/samp/busy-stretches.ts prof/CPU.*.0.001.cpuprofile [from-seconds] [count]
 * Prints the longest stretches from `from-seconds` into the profile on (default 0): their
 * length, samples (1 ms apart: fewer samples than milliseconds means the thread was not
 * running for part of it) and the functions that took most of them.
 */
import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

const [file, fromArg = '0', countArg = '8'] = process.argv.slice(2);
if (!file) {
  console.error(
    'Say which .cpuprofile to read: npx tsx tests/samp/busy-stretches.ts FILE [from-seconds] [count]',
  );
  process.exit(1);
}
const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
const parentOf = new Map<number, number>();
for (const n of profile.nodes) for (const c of n.children ?? []) parentOf.set(c, n.id);
const nameOf = (id: number) => {
  const { functionName, url, lineNumber } = nodes.get(id)!.callFrame;
  return `${functionName || '(anonymous)'} ${url.split('/').pop()}:${lineNumber + 1}`;
};
/** Our own frames first: the innermost frame of a sample that is in this repository's code. */
const ourFrame = (id: number): string => {
  for (let at: number | undefined = id; at !== undefined; at = parentOf.get(at)) {
    const { url } = nodes.get(at)!.callFrame;
    if (url.includes('/src-main/')) return nameOf(at);
  }
  return nameOf(id);
};

interface Stretch {
  start: number;
  end: number;
  samples: number[];
}
const stretches: Stretch[] = [];
let current: Stretch | null = null;
let t = profile.startTime;
profile.samples.forEach((sample, i) => {
  t += profile.timeDeltas[i]!;
  if (nodes.get(sample)!.callFrame.functionName === '(idle)') {
    if (current) stretches.push(current);
    current = null;
  } else {
    current ??= { start: t, end: t, samples: [] };
    current.end = t;
    current.samples.push(sample);
  }
});
if (current) stretches.push(current);

const from = profile.startTime + Number(fromArg) * 1e6;
const late = stretches.filter((s) => s.start >= from);
const busyMs = late.reduce((sum, s) => sum + (s.end - s.start) / 1000, 0);
console.log(
  `${late.length} busy stretches from ${fromArg} s to ${((profile.endTime - profile.startTime) / 1e6).toFixed(1)} s; busy ${busyMs.toFixed(0)} ms in all`,
);
for (const s of late
  .sort((a, b) => b.end - b.start - (a.end - a.start))
  .slice(0, Number(countArg))) {
  const counts = new Map<string, number>();
  for (const sample of s.samples)
    counts.set(ourFrame(sample), (counts.get(ourFrame(sample)) ?? 0) + 1);
  const top = [...counts].sort((a, b) => b[1] - a[1]).slice(0, 4);
  console.log(
    `${((s.end - s.start) / 1000).toFixed(1)} ms (${s.samples.length} samples) at ` +
      `${((s.start - profile.startTime) / 1e6).toFixed(2)} s: ${top.map(([f, n]) => `${f} ×${n}`).join('; ')}`,
  );
}
