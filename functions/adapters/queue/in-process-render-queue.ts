import type { RenderJob, RenderQueue } from '../../domain/ports';

export interface InProcessRenderQueueOptions {
  /** Runs one job; `finalAttempt` is true on the last delivery, as the SQS worker computes it from the receive count. */
  readonly work: (job: RenderJob, delivery: { readonly finalAttempt: boolean }) => Promise<unknown>;
  /** Deliveries per job, like the SQS queue's maxReceiveCount. */
  readonly maxDeliveries?: number;
  /** Pause between deliveries, like the visibility timeout (short locally). */
  readonly retryDelayMs?: number;
  readonly onDeadLetter?: (job: RenderJob, error: unknown) => void;
}

export interface InProcessRenderQueue extends RenderQueue {
  /** Resolves when every job enqueued so far has finished or been dead-lettered (tests, the push script). */
  idle(): Promise<void>;
}

/**
 * The local stand-in for SQS + the render Lambda: the same worker use case, run in this process after the request
 * has been answered, with the same at-least-once retries. Jobs run one at a time, like a worker with reserved
 * concurrency 1, so a bulk push cannot starve the dev server.
 */
export function inProcessRenderQueue(options: InProcessRenderQueueOptions): InProcessRenderQueue {
  const maxDeliveries = options.maxDeliveries ?? 3;
  const retryDelayMs = options.retryDelayMs ?? 200;
  let tail: Promise<void> = Promise.resolve();

  const deliver = async (job: RenderJob) => {
    for (let delivery = 1; delivery <= maxDeliveries; delivery += 1) {
      try {
        await options.work(job, { finalAttempt: delivery === maxDeliveries });
        return;
      } catch (error) {
        if (delivery === maxDeliveries) {
          options.onDeadLetter?.(job, error);
          return;
        }
        await new Promise((resolve) => setTimeout(resolve, retryDelayMs));
      }
    }
  };

  return {
    async enqueue(job) {
      // Chained, never awaited here: the ingest request is answered before rendering starts, as in AWS.
      tail = tail.then(() => deliver(job));
    },
    idle: async () => {
      let seen: Promise<void>;
      do {
        seen = tail;
        await seen;
      } while (seen !== tail);
    },
  };
}
