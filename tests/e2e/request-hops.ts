/**
 * Where the time of the page's label.set requests goes, from the browser's Resource Timing
 * and the server's Server-Timing (engine and server durations, server.ts): a keypress that
 * waits on its reply is slow in one of these hops, and each calls for a different remedy.
 */
import type { Page } from 'playwright-core';

/** One request's time, in ms, split at the points both ends can see. */
export interface RequestHops {
  /** fetch() called → the browser's network stack starts sending: the browser's own queue. */
  queue: number;
  /**
   * Request sent → reply's first byte, less the server's share: the way there and back,
   * which on one machine is mostly each end waiting to be given a CPU.
   */
  wire: number;
  /** Headers parsed → reply written, in the server (body, JSON, the engine). */
  server: number;
  /** The engine's share of `server`. */
  engine: number;
  /** Reply's first byte → its last. */
  body: number;
  /** fetch() called → the reply's last byte: all of the above. */
  total: number;
}

/** The few Resource Timing fields read here (the tests compile without the DOM library). */
interface TimingEntry {
  name: string;
  startTime: number;
  requestStart: number;
  responseStart: number;
  responseEnd: number;
  serverTiming: { name: string; duration: number }[];
}
interface PagePerformance {
  performance: {
    setResourceTimingBufferSize(size: number): void;
    getEntriesByType(type: 'resource'): TimingEntry[];
  };
}

/** Keeps every request's timing: the browser keeps only 250 unless told otherwise. */
export async function keepRequestTimings(page: Page): Promise<void> {
  await page.evaluate(() =>
    (globalThis as unknown as PagePerformance).performance.setResourceTimingBufferSize(100_000),
  );
}

/** The hops of every `method` request the page has sent so far, oldest first. */
export async function requestHops(page: Page, method: string): Promise<RequestHops[]> {
  const entries = await page.evaluate(
    (path) =>
      (globalThis as unknown as PagePerformance).performance
        .getEntriesByType('resource')
        .filter((e) => e.name.endsWith(path))
        .map((e) => ({
          startTime: e.startTime,
          requestStart: e.requestStart,
          responseStart: e.responseStart,
          responseEnd: e.responseEnd,
          serverTiming: e.serverTiming.map((t) => ({ name: t.name, duration: t.duration })),
        })),
    `/api/call/${method}`,
  );
  return entries.map((e) => {
    const share = (name: string) => e.serverTiming.find((t) => t.name === name)?.duration ?? 0;
    const server = share('server');
    return {
      queue: e.requestStart - e.startTime,
      wire: e.responseStart - e.requestStart - server,
      server,
      engine: share('engine'),
      body: e.responseEnd - e.responseStart,
      total: e.responseEnd - e.startTime,
    };
  });
}
