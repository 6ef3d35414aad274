import { Match, type Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { sqsRenderWorker } from '../../functions/adapters/queue/sqs-render-worker';
import { capturingLogger } from '../../functions/adapters/system/json-logger';
import type { RenderOutcome } from '../../functions/use-cases/ingest/render-document';
import { logicalIdOf } from '../../lib/cdk-helpers';
import {
  LOG_METRICS,
  type LogMetricName,
  MIN_REQUESTS_FOR_ERROR_RATE,
  metricsNamespace,
  SERVER_ERROR_RATE_PERCENT,
} from '../../lib/stacks/observability-stack';
import { buildPortalApp, type PortalApp, SYNTH_TIMEOUT_MS, templatesOf } from './support/portal-app';
import { propertiesOf } from './support/template-queries';

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\/]/gu, '\\$&');

/**
 * CloudWatch's filter-pattern semantics for the one form LOG_METRICS uses: a JSON conjunction of `$.field = "value"`
 * (with `*` matching anything) on a JSON event.
 */
function matches(pattern: string, event: string): boolean {
  expect(pattern.startsWith('{')).toBe(true);
  expect(pattern).not.toContain('||');
  let parsed: Record<string, unknown>;
  try {
    parsed = JSON.parse(event) as Record<string, unknown>;
  } catch {
    return false; // a JSON pattern never matches a line that is not JSON
  }
  const conditions = [...pattern.matchAll(/\$\.(\w+) = "([^"]*)"/gu)];
  expect(conditions.length).toBeGreaterThan(0);
  return conditions.every(([, field = '', value = '']) => {
    const wildcard = new RegExp(`^${value.split('*').map(escapeRegExp).join('.*')}$`, 'u');
    return typeof parsed[field] === 'string' && wildcard.test(parsed[field]);
  });
}

const patternOf = (name: LogMetricName) => LOG_METRICS[name].pattern.logPatternString;

/** What the render worker logs for one job (the real adapter, with its log captured). */
async function renderWorkerLines(work: () => Promise<RenderOutcome>): Promise<string[]> {
  const { log, lines } = capturingLogger();
  const worker = sqsRenderWorker({
    work,
    sqs: { send: async () => ({}) } as never,
    queueUrl: 'https://sqs.eu-north-1.amazonaws.com/000000000000/render',
    maxReceives: 3,
    log,
  });
  await worker({
    Records: [
      {
        messageId: 'm-1',
        receiptHandle: 'r-1',
        body: JSON.stringify({
          tenantId: '3d1f6a52-8c1e-4f3e-9a57-0c2b7f9e4d10',
          customerId: '5e2a7b63-9d2f-4a4f-8b68-1d3c8a0f5e21',
          documentId: '0b7c1f0e-2f6c-4a43-9d51-4a8f5b0f3a11',
        }),
        attributes: { ApproximateReceiveCount: '1' },
      },
    ],
  } as never);
  return lines;
}

describe('observability', () => {
  let portal: PortalApp;
  let observability: Template;
  let data: Template;
  let api: Template;
  beforeAll(() => {
    portal = buildPortalApp('dev', { alarmEmail: 'drift@example.se' });
    ({ observability, data, api } = templatesOf(portal));
  }, SYNTH_TIMEOUT_MS);

  describe('the alarm topic', () => {
    it('is created encrypted with a rotating customer managed key that CloudWatch may use, TLS-only, mailing the configured address', () => {
      // Act
      const topic = propertiesOf(data, 'AWS::SNS::Topic', 'AlarmsTopic');
      const key = propertiesOf(data, 'AWS::KMS::Key', 'AlarmsKey');

      // Assert
      expect(topic.KmsMasterKeyId).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^AlarmsKey/u), 'Arn'] });
      expect(key.EnableKeyRotation).toBe(true);
      expect(key.KeyPolicy.Statement).toEqual(
        expect.arrayContaining([
          expect.objectContaining({
            Principal: { Service: 'cloudwatch.amazonaws.com' },
            Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
          }),
        ]),
      );
      data.hasResourceProperties('AWS::SNS::TopicPolicy', {
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          ]),
        },
      });
      data.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: 'drift@example.se' });
    });

    it('is notified by every alarm of every stack, when it fires and when it clears', () => {
      // Arrange
      const topicId = logicalIdOf(portal.stacks.data.alarmTopic);
      const alarms = [data, api, observability].flatMap((template) =>
        Object.values(template.findResources('AWS::CloudWatch::Alarm')),
      );

      // Assert: same stack by Ref, other stacks through the data stack's published output of that Ref
      expect(alarms.length).toBeGreaterThanOrEqual(9);
      for (const alarm of alarms) {
        for (const actions of [alarm.Properties.AlarmActions, alarm.Properties.OKActions]) {
          expect(actions).toHaveLength(1);
          expect(JSON.stringify(actions)).toContain(topicId);
        }
      }
    });

    it('is the configured one when an ARN is given: no topic, no key, and every alarm notifies that ARN', () => {
      // Arrange
      const topicArn = 'arn:aws:sns:eu-north-1:123456789012:oncall';

      // Act
      const templates = templatesOf(
        buildPortalApp('dev', { alarmTopicArn: topicArn, alarmEmail: 'ignored@example.se' }),
      );

      // Assert
      templates.data.resourceCountIs('AWS::SNS::Topic', 0);
      templates.data.resourceCountIs('AWS::SNS::Subscription', 0);
      templates.data.resourceCountIs('AWS::KMS::Key', 0);
      const alarms = [templates.data, templates.observability].flatMap((template) =>
        Object.values(template.findResources('AWS::CloudWatch::Alarm')),
      );
      expect(alarms.length).toBeGreaterThanOrEqual(9);
      for (const alarm of alarms) {
        expect(alarm.Properties).toMatchObject({ AlarmActions: [topicArn], OKActions: [topicArn] });
      }
    });
  });

  describe('the alarms', () => {
    it('judge the 5xx rate of the HTTP API only with enough requests, in two of three five-minute periods', () => {
      // Act
      const alarm = propertiesOf(observability, 'AWS::CloudWatch::Alarm', 'ServerErrorRate');
      const metrics = alarm.Metrics as { Id: string; Expression?: string; MetricStat?: { Metric: unknown } }[];

      // Assert
      expect(alarm).toMatchObject({
        Threshold: SERVER_ERROR_RATE_PERCENT,
        ComparisonOperator: 'GreaterThanThreshold',
        EvaluationPeriods: 3,
        DatapointsToAlarm: 2,
        TreatMissingData: 'notBreaching',
      });
      expect(metrics.find((m) => m.Expression)?.Expression).toBe(
        `IF(requests >= ${MIN_REQUESTS_FOR_ERROR_RATE}, 100 * errors / requests, 0)`,
      );
      const stat = (id: string) => metrics.find((m) => m.Id === id)?.MetricStat?.Metric as Record<string, unknown>;
      expect(stat('requests')).toMatchObject({ Namespace: 'AWS/ApiGateway', MetricName: 'Count' });
      expect(stat('errors')).toMatchObject({ Namespace: 'AWS/ApiGateway', MetricName: '5xx' });
      expect(JSON.stringify(stat('errors').Dimensions)).toContain(logicalIdOf(portal.stacks.api.httpApi));
    });

    it('fire on the first document the render worker gives up on', () => {
      const alarm = propertiesOf(observability, 'AWS::CloudWatch::Alarm', 'RenderFailures');

      expect(alarm).toMatchObject({
        Namespace: metricsNamespace('dev'),
        MetricName: 'RenderFailures',
        Statistic: 'Sum',
        Threshold: 1,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      });
    });

    it.each([
      ['ApiThrottles', 'apiFunction'],
      ['IngestThrottles', 'ingestFunction'],
    ] as const)('%s fires on the first throttled invocation of its function', (name, stackFunction) => {
      const alarm = propertiesOf(observability, 'AWS::CloudWatch::Alarm', name);

      expect(alarm).toMatchObject({ Namespace: 'AWS/Lambda', MetricName: 'Throttles', Threshold: 1 });
      expect(JSON.stringify(alarm.Dimensions)).toContain(logicalIdOf(portal.stacks.api[stackFunction].function));
    });

    it('watch the render worker for throttles too, and the notification sender for repeated failed runs', () => {
      const throttles = propertiesOf(observability, 'AWS::CloudWatch::Alarm', 'RenderWorkerThrottles');
      const sender = propertiesOf(observability, 'AWS::CloudWatch::Alarm', 'NotificationSenderErrors');

      expect(JSON.stringify(throttles.Dimensions)).toContain(
        logicalIdOf(portal.stacks.api.renderWorker.worker.function),
      );
      expect(sender).toMatchObject({ MetricName: 'Errors', Period: 900, Threshold: 3, Statistic: 'Sum' });
      expect(JSON.stringify(sender.Dimensions)).toContain(logicalIdOf(portal.stacks.api.notificationSender.function));
    });

    it('name the runbook entry in docs/operations.md in every description', async () => {
      // Arrange
      const { readFile } = await import('node:fs/promises');
      const runbook = await readFile(new URL('../../docs/operations.md', import.meta.url), 'utf8');

      // Act
      const descriptions = Object.values(observability.findResources('AWS::CloudWatch::Alarm')).map(
        (alarm) => alarm.Properties.AlarmDescription as string,
      );

      // Assert
      for (const description of descriptions) {
        const entry = /docs\/operations\.md, "([^"]+)"/u.exec(description)?.[1];
        expect(entry, description).toBeDefined();
        expect(runbook).toContain(`### ${entry}`);
      }
    });
  });

  describe('the metrics counted from logs', () => {
    const accessLogLine = (fields: Record<string, string>) =>
      JSON.stringify({ requestId: 'r', httpMethod: 'POST', status: '200', routeKey: 'ANY /api/{proxy+}', ...fields });

    it('count a download when the download route answers 200, and nothing else', () => {
      const pattern = patternOf('Downloads');

      expect(matches(pattern, accessLogLine({ path: '/api/customers/c-1/documents/d-1/download' }))).toBe(true);
      expect(
        matches(pattern, accessLogLine({ path: '/api/customers/c-1/documents/d-1/download', status: '404' })),
      ).toBe(false);
      expect(matches(pattern, accessLogLine({ path: '/api/customers/c-1/documents', httpMethod: 'GET' }))).toBe(false);
      expect(matches(pattern, accessLogLine({ path: '/api/customers/c-1/document-archives' }))).toBe(false);
      expect(
        matches(patternOf('ArchiveDownloads'), accessLogLine({ path: '/api/customers/c-1/document-archives' })),
      ).toBe(true);
    });

    it('read fields the HTTP API access log actually writes, from the log group it writes to', () => {
      // Arrange
      const stage = propertiesOf(api, 'AWS::ApiGatewayV2::Stage', 'HttpApiDefaultStage');
      const format = JSON.parse(stage.AccessLogSettings.Format) as Record<string, string>;

      // Act
      const fields = ['Downloads', 'ArchiveDownloads'].flatMap((name) =>
        [...patternOf(name as LogMetricName).matchAll(/\$\.(\w+)/gu)].map(([, field]) => field),
      );
      const filter = propertiesOf(observability, 'AWS::Logs::MetricFilter', 'DownloadsFilter');

      // Assert
      expect(fields.length).toBeGreaterThan(0);
      for (const field of fields) expect(Object.keys(format)).toContain(field);
      expect(format.status).toBe('$context.status'); // written as a string, which the pattern compares with "200"
      expect(JSON.stringify(filter.LogGroupName)).toContain(logicalIdOf(portal.stacks.api.accessLogs));
      expect(filter.MetricTransformations).toEqual([
        { MetricName: 'Downloads', MetricNamespace: metricsNamespace('dev'), MetricValue: '1' },
      ]);
    });

    it("count the render worker's real log line for a document it gave up on, and not one it published", async () => {
      // Act
      const failed = await renderWorkerLines(async () => 'failed');
      const published = await renderWorkerLines(async () => 'published');
      const retried = await renderWorkerLines(async () => {
        throw new Error('S3 hiccup');
      });

      // Assert
      expect(failed.filter((line) => matches(patternOf('RenderFailures'), line))).toHaveLength(1);
      expect(published.some((line) => matches(patternOf('RenderFailures'), line))).toBe(false);
      expect(retried.some((line) => matches(patternOf('RenderFailures'), line))).toBe(false);
      expect(retried.filter((line) => matches(patternOf('RenderAttemptErrors'), line))).toHaveLength(1);
      const filter = propertiesOf(observability, 'AWS::Logs::MetricFilter', 'RenderFailuresFilter');
      expect(JSON.stringify(filter.LogGroupName)).toContain(
        logicalIdOf(portal.stacks.api.renderWorker.worker.logGroup),
      );
    });
  });

  it('has a dashboard with requests, errors, latency, render failures, dead letters and downloads', () => {
    // Act
    const dashboard = propertiesOf(observability, 'AWS::CloudWatch::Dashboard', 'Dashboard');
    const body = JSON.stringify(dashboard.DashboardBody);

    // Assert
    expect(dashboard.DashboardName).toBe('Portal-dev');
    for (const title of [
      'Requests (HTTP API)',
      'Errors (HTTP API)',
      'Latency (HTTP API, ms)',
      'Render failures',
      'dead letters',
      'Downloads per hour',
      'Function throttles',
    ]) {
      expect(body).toContain(title);
    }
    expect(body).toContain(logicalIdOf(portal.stacks.data.renderQueue.deadLetterAlarm));
  });
});
