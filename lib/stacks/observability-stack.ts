import { Duration, Stack, type StackProps } from 'aws-cdk-lib';
import type { HttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import type { Distribution } from 'aws-cdk-lib/aws-cloudfront';
import {
  Alarm,
  type AlarmProps,
  AlarmStatusWidget,
  ComparisonOperator,
  Dashboard,
  GraphWidget,
  type IMetric,
  MathExpression,
  Metric,
  Stats,
  TreatMissingData,
} from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { FilterPattern, type IFilterPattern, type LogGroup, MetricFilter } from 'aws-cdk-lib/aws-logs';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import type { Construct } from 'constructs';
import type { PortalConfig } from '../config';
import type { PortalFunction } from '../constructs/portal-function';
import type { RenderQueue } from '../constructs/render-queue';

const FIVE_MINUTES = Duration.minutes(5);

/** The namespace of the metrics this stack derives from logs; one per stage, so dev never mixes into prod. */
export const metricsNamespace = (stage: string) => `Foretagsportal/${stage}`;

/**
 * Metrics counted from log lines, by metric name. Downloads come from the HTTP API's access log (the API writes the
 * download's audit event to the table, not to its log): a successful POST to the download or archive route. Render
 * failures come from the worker's log lines (functions/adapters/queue/sqs-render-worker.ts), which the JSON logger
 * writes as one JSON object per line (functions/adapters/system/json-logger.ts). Both are matched field by field.
 */
export const LOG_METRICS = {
  /** One document handed out: POST /api/customers/{id}/documents/{id}/download answered 200. */
  Downloads: {
    source: 'accessLogs',
    pattern: FilterPattern.all(
      FilterPattern.stringValue('$.httpMethod', '=', 'POST'),
      FilterPattern.stringValue('$.path', '=', '/api/customers/*/download'),
      FilterPattern.stringValue('$.status', '=', '200'),
    ),
  },
  /** A ZIP of several documents handed out: POST /api/customers/{id}/document-archives answered 200. */
  ArchiveDownloads: {
    source: 'accessLogs',
    pattern: FilterPattern.all(
      FilterPattern.stringValue('$.httpMethod', '=', 'POST'),
      FilterPattern.stringValue('$.path', '=', '/api/customers/*/document-archives'),
      FilterPattern.stringValue('$.status', '=', '200'),
    ),
  },
  /** A document the worker gave up on: it is marked failed and no customer sees it. */
  RenderFailures: {
    source: 'renderWorkerLogs',
    pattern: FilterPattern.all(
      FilterPattern.stringValue('$.message', '=', 'Render job done'),
      FilterPattern.stringValue('$.outcome', '=', 'failed'),
    ),
  },
  /** One failed attempt (S3, DynamoDB or the renderer threw); the queue retries it. */
  RenderAttemptErrors: {
    source: 'renderWorkerLogs',
    pattern: FilterPattern.stringValue('$.message', '=', 'Render job failed'),
  },
} as const satisfies Record<string, { source: 'accessLogs' | 'renderWorkerLogs'; pattern: IFilterPattern }>;

export type LogMetricName = keyof typeof LOG_METRICS;

/** A CloudWatch dynamic label: each line of a WAF search is named by its rule. */
// biome-ignore lint/suspicious/noTemplateCurlyInString: CloudWatch's ${…} syntax, not a JavaScript template.
export const DYNAMIC_LABEL_RULE_NAME = "${PROP('Dim.Rule')}";

/** Below this many requests in five minutes, the 5xx rate is not judged: two errors in three requests is noise. */
export const MIN_REQUESTS_FOR_ERROR_RATE = 20;
/** Percent of requests answered 5xx (by the gateway or a function) in two of three five-minute periods. */
export const SERVER_ERROR_RATE_PERCENT = 5;

export interface ObservabilityStackProps extends StackProps {
  readonly config: PortalConfig;
  /** The data stack's alarm topic: every alarm here notifies it when it fires and when it clears. */
  readonly alarmTopic: ITopic;
  readonly httpApi: HttpApi;
  readonly accessLogs: LogGroup;
  readonly apiFunction: PortalFunction;
  readonly ingestFunction: PortalFunction;
  readonly renderWorker: PortalFunction;
  readonly notificationSender: PortalFunction;
  readonly auditSealer: PortalFunction;
  /** The render queue; its dead-letter alarm lives with it in the data stack and is shown here. */
  readonly renderQueue: RenderQueue;
  readonly distribution: Distribution;
  /** The name of the web ACL the edge-security stack created; undefined with an operator's own (no WAF graph). */
  readonly webAclName?: string;
}

/**
 * The stage's dashboard and the alarms on the running service: server-error rate, render failures, throttles and
 * notification-sender errors (the dead-letter and mail-reputation alarms live with their resources in the data
 * stack and notify the same topic). Built from the other stacks' resources; holds no state. Runbook per alarm:
 * docs/operations.md, "Alarm runbook".
 */
export class ObservabilityStack extends Stack {
  readonly dashboard: Dashboard;
  /** The alarms this stack creates, by the name the runbook uses. */
  readonly alarms: Readonly<Record<string, Alarm>>;

  constructor(scope: Construct, id: string, props: ObservabilityStackProps) {
    super(scope, id, props);
    const { config, httpApi } = props;
    const namespace = metricsNamespace(config.stage);

    const logGroups = { accessLogs: props.accessLogs, renderWorkerLogs: props.renderWorker.logGroup };
    const logMetric = (name: LogMetricName, period: Duration = FIVE_MINUTES) => {
      const { source, pattern } = LOG_METRICS[name];
      new MetricFilter(this, `${name}Filter`, {
        logGroup: logGroups[source],
        filterPattern: pattern,
        metricNamespace: namespace,
        metricName: name,
        metricValue: '1',
      });
      return new Metric({ namespace, metricName: name, statistic: Stats.SUM, period });
    };
    const downloads = logMetric('Downloads', Duration.hours(1));
    const archiveDownloads = logMetric('ArchiveDownloads', Duration.hours(1));
    const renderFailures = logMetric('RenderFailures');
    const renderAttemptErrors = logMetric('RenderAttemptErrors');

    const requests = httpApi.metricCount({ period: FIVE_MINUTES, statistic: Stats.SUM });
    const serverErrors = httpApi.metricServerError({ period: FIVE_MINUTES, statistic: Stats.SUM });
    const clientErrors = httpApi.metricClientError({ period: FIVE_MINUTES, statistic: Stats.SUM });
    const serverErrorRate = new MathExpression({
      label: '5xx rate (%)',
      expression: `IF(requests >= ${MIN_REQUESTS_FOR_ERROR_RATE}, 100 * errors / requests, 0)`,
      usingMetrics: { requests, errors: serverErrors },
      period: FIVE_MINUTES,
    });

    const functions = {
      Api: props.apiFunction,
      Ingest: props.ingestFunction,
      RenderWorker: props.renderWorker,
      NotificationSender: props.notificationSender,
      AuditSealer: props.auditSealer,
    } as const;

    const alarms: Record<string, Alarm> = {};
    const alarm = (name: string, metric: IMetric, options: AlarmOptions) => {
      const created = new Alarm(this, name, {
        alarmName: `${config.stackPrefix}-${name}`,
        metric,
        treatMissingData: TreatMissingData.NOT_BREACHING,
        ...options,
      });
      created.addAlarmAction(new SnsAction(props.alarmTopic));
      created.addOkAction(new SnsAction(props.alarmTopic));
      alarms[name] = created;
    };

    alarm('ServerErrorRate', serverErrorRate, {
      alarmDescription: `More than ${SERVER_ERROR_RATE_PERCENT} % of API and ingest requests answered 5xx. Runbook: docs/operations.md, "ServerErrorRate".`,
      comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
      threshold: SERVER_ERROR_RATE_PERCENT,
      evaluationPeriods: 3,
      datapointsToAlarm: 2,
    });
    alarm('RenderFailures', renderFailures, {
      alarmDescription:
        'The render worker gave up on a document: it is marked failed and invisible to the customer. Runbook: docs/operations.md, "RenderFailures".',
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      threshold: 1,
      evaluationPeriods: 1,
    });
    // The notification sender is left out: with one reserved instance and a run every minute, a run longer than a
    // minute throttles the next start by design (Lambda retries it); its errors alarm covers runs that fail.
    for (const name of ['Api', 'Ingest', 'RenderWorker'] as const) {
      alarm(
        `${name}Throttles`,
        functions[name].function.metricThrottles({ period: FIVE_MINUTES, statistic: Stats.SUM }),
        {
          alarmDescription: `Lambda throttled the ${name} function (concurrency exhausted). Runbook: docs/operations.md, "Throttles".`,
          comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
          threshold: 1,
          evaluationPeriods: 1,
        },
      );
    }
    // A run fails as a whole if any clinic failed, and the next run a minute later retries; three failed runs in a
    // quarter of an hour is no longer a passing SES or DynamoDB hiccup.
    alarm(
      'NotificationSenderErrors',
      props.notificationSender.function.metricErrors({ period: Duration.minutes(15), statistic: Stats.SUM }),
      {
        alarmDescription:
          'Notification runs keep failing: notices of new invoice bases are not being mailed. Runbook: docs/operations.md, "NotificationSenderErrors".',
        comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        threshold: 3,
        evaluationPeriods: 1,
      },
    );
    // Rounds every 5 minutes; two failed in a quarter of an hour leaves 10 minutes of new audit events unanchored.
    alarm(
      'AuditSealerErrors',
      props.auditSealer.function.metricErrors({ period: Duration.minutes(15), statistic: Stats.SUM }),
      {
        alarmDescription:
          'Audit seal rounds keep failing: new audit events are not being chained and anchored. Runbook: docs/operations.md, "AuditSealerErrors".',
        comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        threshold: 2,
        evaluationPeriods: 1,
      },
    );
    this.alarms = alarms;

    this.dashboard = new Dashboard(this, 'Dashboard', {
      dashboardName: config.stackPrefix,
      defaultInterval: Duration.days(1),
    });
    const graph = (title: string, left: IMetric[], right: IMetric[] = []) =>
      new GraphWidget({ title, left, right, width: 8, height: 6 });
    const perFunction = (stat: (fn: PortalFunction) => IMetric) => Object.values(functions).map(stat);
    const labelled = (label: string, metric: Metric) => metric.with({ label });
    const { queue, deadLetterQueue, deadLetterAlarm } = props.renderQueue;

    this.dashboard.addWidgets(
      new AlarmStatusWidget({
        title: 'Alarms',
        alarms: [...Object.values(alarms), deadLetterAlarm],
        width: 24,
        height: 3,
      }),
    );
    this.dashboard.addWidgets(
      graph('Requests (HTTP API)', [labelled('requests', requests)]),
      graph('Errors (HTTP API)', [labelled('5xx', serverErrors), labelled('4xx', clientErrors)], [serverErrorRate]),
      graph('Latency (HTTP API, ms)', [
        httpApi.metricLatency({ period: FIVE_MINUTES, statistic: Stats.p(50), label: 'p50' }),
        httpApi.metricLatency({ period: FIVE_MINUTES, statistic: Stats.p(95), label: 'p95' }),
        httpApi.metricLatency({ period: FIVE_MINUTES, statistic: Stats.p(99), label: 'p99' }),
      ]),
    );
    this.dashboard.addWidgets(
      graph(
        'Function errors',
        perFunction((fn) => fn.function.metricErrors({ period: FIVE_MINUTES, statistic: Stats.SUM })),
      ),
      graph(
        'Function throttles',
        perFunction((fn) => fn.function.metricThrottles({ period: FIVE_MINUTES, statistic: Stats.SUM })),
      ),
      graph(
        'Function duration p95 (ms)',
        perFunction((fn) => fn.function.metricDuration({ period: FIVE_MINUTES, statistic: Stats.p(95) })),
      ),
    );
    this.dashboard.addWidgets(
      graph('Render failures', [
        labelled('documents failed', renderFailures),
        labelled('attempts failed', renderAttemptErrors),
      ]),
      graph(
        'Render queue',
        [
          labelled(
            'waiting',
            queue.metricApproximateNumberOfMessagesVisible({ period: FIVE_MINUTES, statistic: Stats.MAXIMUM }),
          ),
          labelled(
            'dead letters',
            deadLetterQueue.metricApproximateNumberOfMessagesVisible({
              period: FIVE_MINUTES,
              statistic: Stats.MAXIMUM,
            }),
          ),
        ],
        [
          labelled(
            'oldest waiting (s)',
            queue.metricApproximateAgeOfOldestMessage({ period: FIVE_MINUTES, statistic: Stats.MAXIMUM }),
          ),
        ],
      ),
      graph('Downloads per hour', [labelled('documents', downloads), labelled('archives', archiveDownloads)]),
    );
    // CloudFront publishes its metrics in us-east-1 only; a dashboard can show another region's metrics.
    const cloudFront = (metricName: string, statistic: string) =>
      new Metric({
        namespace: 'AWS/CloudFront',
        metricName,
        dimensionsMap: { DistributionId: props.distribution.distributionId, Region: 'Global' },
        region: 'us-east-1',
        period: FIVE_MINUTES,
        statistic,
      });
    const cloudFrontRequests = graph(
      'CloudFront requests',
      [cloudFront('Requests', Stats.SUM)],
      [cloudFront('5xxErrorRate', Stats.AVERAGE)],
    );
    if (props.webAclName === undefined) {
      this.dashboard.addWidgets(cloudFrontRequests);
      return;
    }
    // WAF's metrics for a CloudFront web ACL are in us-east-1 too. A search finds one line per rule (named by its
    // metric name), so a rule added later shows up without changing this graph.
    const wafRequests = (metricName: 'BlockedRequests' | 'CountedRequests') =>
      new MathExpression({
        expression: `SEARCH('{AWS/WAFV2,Rule,WebACL} MetricName="${metricName}" WebACL="${props.webAclName}"', 'Sum', ${FIVE_MINUTES.toSeconds()})`,
        searchRegion: 'us-east-1',
        period: FIVE_MINUTES,
        label: DYNAMIC_LABEL_RULE_NAME,
      });
    this.dashboard.addWidgets(
      cloudFrontRequests,
      graph('WAF blocked requests per rule', [wafRequests('BlockedRequests')]),
      graph('WAF counted requests per rule (large bodies on upload paths)', [wafRequests('CountedRequests')]),
    );
  }
}

type AlarmOptions = Pick<
  AlarmProps,
  'alarmDescription' | 'comparisonOperator' | 'threshold' | 'evaluationPeriods' | 'datapointsToAlarm'
>;
