import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { isUuid } from '../../domain/ids';
import type { RenderJob, RenderQueue } from '../../domain/ports';

/** In AWS: one SQS message per job; the render worker Lambda consumes the queue (retries, then the dead-letter queue). */
export function sqsRenderQueue(client: SQSClient, queueUrl: string): RenderQueue {
  return {
    async enqueue(job) {
      await client.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: JSON.stringify(job) }));
    },
  };
}

/** Reads a message body back into a job; anything else is refused (it did not come from {@link sqsRenderQueue}). */
export function renderJobFromMessage(body: string): RenderJob {
  const value = JSON.parse(body) as Partial<Record<keyof RenderJob, unknown>>;
  const { tenantId, customerId, documentId } = value;
  if (typeof tenantId !== 'string' || typeof customerId !== 'string' || typeof documentId !== 'string') {
    throw new Error('A render job needs tenantId, customerId and documentId.');
  }
  if (![tenantId, customerId, documentId].every(isUuid)) throw new Error('Render job ids must be UUIDs.');
  return { tenantId, customerId, documentId };
}
