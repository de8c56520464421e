import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { CheckpointPayload } from './audit-chain.js';
import type { CheckpointEventsChecker, EventCheck } from './audit-verifier.js';

/**
 * Checks checkpoints' events in worker threads, each with its own database connection, so that
 * hashing uses every core while the database reads the next range. Null when the compiled
 * worker is not there (running from TypeScript sources): callers then check in-process.
 */
export function parallelEventsChecker(databaseUrl: string, workers = 2): CheckpointEventsChecker | null {
  const workerFile = new URL('./audit-verify-worker.js', import.meta.url);
  if (!existsSync(fileURLToPath(workerFile))) return null;
  return async (payloads: CheckpointPayload[]) => {
    const results: EventCheck[] = new Array(payloads.length);
    if (payloads.length === 0) return results;
    let next = 0;
    const pool = Array.from({ length: Math.min(workers, payloads.length) }, () => new Worker(workerFile, { workerData: { databaseUrl } }));
    try {
      await Promise.all(
        pool.map(
          (worker) =>
            new Promise<void>((resolve, reject) => {
              let inFlight = 0;
              const feed = () => {
                // Two ranges in flight per worker: one being hashed, the next being read.
                while (inFlight < 2 && next < payloads.length) {
                  const index = next++;
                  inFlight += 1;
                  worker.postMessage({ index, payload: payloads[index] });
                }
                if (inFlight === 0) resolve();
              };
              worker.on('message', (message: 'ready' | { index: number; result?: EventCheck; error?: string }) => {
                if (message === 'ready') return feed();
                if (message.error !== undefined) return reject(new Error(message.error));
                results[message.index] = message.result!;
                inFlight -= 1;
                feed();
              });
              worker.on('error', reject);
            }),
        ),
      );
    } finally {
      await Promise.all(pool.map((worker) => worker.terminate()));
    }
    return results;
  };
}
