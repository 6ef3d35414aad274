import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, Stats, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

/** AWS's guidance for Lambda event sources: a visibility timeout of at least six times the function timeout. */
export const VISIBILITY_TIMEOUT_PER_WORKER_TIMEOUT = 6;

/** A message that failed this many receives moves to the dead-letter queue. */
export const RENDER_MAX_RECEIVE_COUNT = 3;

/**
 * Pending render jobs are kept a week (longer than a long weekend without a working worker). The dead-letter queue
 * keeps the maximum, 14 days: a standard queue's message keeps its original enqueue time when it is dead-lettered,
 * so the dead-letter queue must retain longer than the source queue for an operator to have time to redrive.
 */
export const RENDER_QUEUE_RETENTION = Duration.days(7);
export const RENDER_DEAD_LETTER_RETENTION = Duration.days(14);

export interface RenderQueueProps {
  /** Timeout of the function that consumes the queue; the visibility timeout is derived from it. */
  readonly workerTimeout: Duration;
  /** SNS topic the dead-letter alarm notifies; without one the alarm only changes state. */
  readonly alarmTopicArn?: string;
}

/**
 * The queue between ingest and the PDF render worker (docs/render-pipeline.md): a standard queue, encrypted with
 * SQS-managed keys, TLS-only, with a dead-letter queue after {@link RENDER_MAX_RECEIVE_COUNT} failed receives and an
 * alarm as soon as anything lands there. Both queues are retained, like the data stack's other resources: replacing
 * them must not drop pending or dead-lettered jobs.
 */
export class RenderQueue extends Construct {
  readonly queue: Queue;
  /** Render jobs that failed every retry. Public so that monitoring can alarm on it. */
  readonly deadLetterQueue: Queue;
  /** In alarm while the dead-letter queue holds any message. */
  readonly deadLetterAlarm: Alarm;

  constructor(scope: Construct, id: string, props: RenderQueueProps) {
    super(scope, id);

    this.deadLetterQueue = new Queue(this, 'DeadLetterQueue', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: RENDER_DEAD_LETTER_RETENTION,
      removalPolicy: RemovalPolicy.RETAIN,
    });

    this.queue = new Queue(this, 'Queue', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      visibilityTimeout: Duration.seconds(props.workerTimeout.toSeconds() * VISIBILITY_TIMEOUT_PER_WORKER_TIMEOUT),
      retentionPeriod: RENDER_QUEUE_RETENTION,
      deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount: RENDER_MAX_RECEIVE_COUNT },
      removalPolicy: RemovalPolicy.RETAIN,
    });

    this.deadLetterAlarm = new Alarm(this, 'DeadLetterAlarm', {
      alarmDescription:
        'Render jobs failed every retry and wait in the dead-letter queue; their documents are failed (or still rendering after a crash). See docs/render-pipeline.md.',
      metric: this.deadLetterQueue.metricApproximateNumberOfMessagesVisible({
        period: Duration.minutes(5),
        statistic: Stats.MAXIMUM,
      }),
      comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
      threshold: 0,
      evaluationPeriods: 1,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
    if (props.alarmTopicArn) {
      const topic = Topic.fromTopicArn(this, 'AlarmTopic', props.alarmTopicArn);
      this.deadLetterAlarm.addAlarmAction(new SnsAction(topic));
      this.deadLetterAlarm.addOkAction(new SnsAction(topic));
    }
  }
}
