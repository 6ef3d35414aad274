import type { IManagedPolicy } from 'aws-cdk-lib/aws-iam';
import { EventSourceMapping } from 'aws-cdk-lib/aws-lambda';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { RenderWorkerConfig } from '../config';
import { type FunctionLogging, PortalFunction } from './portal-function';

/** One job per invocation: a large document gets the whole timeout and memory to itself. */
export const RENDER_BATCH_SIZE = 1;

export interface RenderWorkerProps {
  /** Entry file relative to the repository root. */
  readonly entry: string;
  /** Must have a dead-letter queue: the worker is told the redrive maxReceiveCount (`RENDER_MAX_RECEIVES`). */
  readonly queue: Queue;
  /**
   * Everything the worker may do, including what Lambda's queue poller does with its role (receive, delete,
   * get attributes). The worker's role gets nothing else: the event source mapping is created without CDK's grant.
   */
  readonly dataAccess: IManagedPolicy;
  readonly environment: Readonly<Record<string, string>>;
  readonly sizing: RenderWorkerConfig;
  readonly logging: FunctionLogging;
}

/**
 * The PDF render worker: a {@link PortalFunction} fed by the render queue, one message at a time, reporting failed
 * messages individually (partial batch responses) so that only those are retried and, after the queue's
 * maxReceiveCount, dead-lettered.
 */
export class RenderWorker extends Construct {
  readonly worker: PortalFunction;
  readonly eventSource: EventSourceMapping;

  constructor(scope: Construct, id: string, props: RenderWorkerProps) {
    super(scope, id);
    const { sizing, queue } = props;
    if (!queue.deadLetterQueue) throw new Error('The render queue needs a dead-letter queue.');

    this.worker = new PortalFunction(this, 'Worker', {
      entry: props.entry,
      // The worker treats the last delivery before dead-lettering as final (it marks the document failed).
      environment: { ...props.environment, RENDER_MAX_RECEIVES: String(queue.deadLetterQueue.maxReceiveCount) },
      memorySize: sizing.memorySize,
      timeout: sizing.timeout,
      reservedConcurrentExecutions: sizing.reservedConcurrency,
      logging: props.logging,
    });
    this.worker.role.addManagedPolicy(props.dataAccess);

    this.eventSource = new EventSourceMapping(this, 'QueueSource', {
      target: this.worker.function,
      eventSourceArn: queue.queueArn,
      batchSize: RENDER_BATCH_SIZE,
      reportBatchItemFailures: true,
      // Never invoke beyond the reserved concurrency: throttled invocations would still count as receives.
      maxConcurrency: sizing.reservedConcurrency,
    });
  }
}
