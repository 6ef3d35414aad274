import { Duration } from 'aws-cdk-lib';
import { Match, type Template } from 'aws-cdk-lib/assertions';
import { OriginRequestPolicy } from 'aws-cdk-lib/aws-cloudfront';
import { beforeAll, describe, expect, it } from 'vitest';
import { logicalIdOf } from '../../lib/cdk-helpers';
import { configFor } from '../../lib/config';
import { PORTAL_RUNTIME } from '../../lib/constructs/portal-function';
import { RENDER_QUEUE_CONSUMER_ACTIONS } from '../../lib/stacks/data-stack';
import { buildPortalApp, type PortalApp, SYNTH_TIMEOUT_MS, templatesOf } from './support/portal-app';
import {
  actionsOf,
  propertiesOf,
  resourcesAllowed,
  statementsOf,
  statementsOfPolicy,
} from './support/template-queries';

const CACHING_DISABLED_ID = '4135ea2d-6df8-44a3-9df3-4b5a84be39ad';
const FOURTEEN_DAYS_S = 14 * 24 * 60 * 60;

const INGEST = 'IngestFunction';
const WORKER = 'RenderWorker';

describe('the ingest and render pipeline', () => {
  let portal: PortalApp;
  let data: Template;
  let api: Template;
  let web: Template;
  let queueId: string;
  let deadLetterQueueId: string;
  beforeAll(() => {
    portal = buildPortalApp('dev');
    ({ data, api, web } = templatesOf(portal));
    queueId = logicalIdOf(portal.stacks.data.renderQueue.queue);
    deadLetterQueueId = logicalIdOf(portal.stacks.data.renderQueue.deadLetterQueue);
  }, SYNTH_TIMEOUT_MS);

  const queue = () => data.toJSON().Resources[queueId];
  const deadLetterQueue = () => data.toJSON().Resources[deadLetterQueueId];
  const queueArn = () => ({ 'Fn::GetAtt': [queueId, 'Arn'] });

  describe('functions', () => {
    it('runs ingest on arm64 and the newest Node.js runtime with 1 GB and 30 s, for a 20 MB PDF checked in-line', () => {
      // Act
      const ingest = propertiesOf(api, 'AWS::Lambda::Function', INGEST);

      // Assert
      expect(ingest).toMatchObject({
        Architectures: ['arm64'],
        Runtime: PORTAL_RUNTIME.name,
        Handler: 'index.handler',
        MemorySize: 1024,
        Timeout: 30,
        TracingConfig: { Mode: 'Active' },
      });
    });

    it("points ingest's RENDER_QUEUE_URL at the render queue, not at its dead-letter queue", () => {
      // Act
      const variables = propertiesOf(api, 'AWS::Lambda::Function', INGEST).Environment.Variables;

      // Assert
      expect(JSON.stringify(variables.RENDER_QUEUE_URL)).toContain(`Ref${queueId}`);
    });

    it("tells the worker the queue's maxReceiveCount, so it knows a delivery is the last before dead-lettering", () => {
      // Act
      const variables = propertiesOf(api, 'AWS::Lambda::Function', WORKER).Environment.Variables;

      // Assert
      expect(variables.RENDER_MAX_RECEIVES).toBe(String(queue().Properties.RedrivePolicy.maxReceiveCount));
    });

    it('runs the render worker on arm64 with 2 GB, 5 minutes and a reserved concurrency of 10', () => {
      // Act
      const worker = propertiesOf(api, 'AWS::Lambda::Function', WORKER);

      // Assert
      expect(worker).toMatchObject({
        Architectures: ['arm64'],
        Runtime: PORTAL_RUNTIME.name,
        Handler: 'index.handler',
        MemorySize: 2048,
        Timeout: 300,
        ReservedConcurrentExecutions: 10,
        TracingConfig: { Mode: 'Active' },
      });
    });

    it('logs each function to its own log group with a retention period', () => {
      for (const prefix of [INGEST, WORKER]) {
        const logGroup = propertiesOf(api, 'AWS::Lambda::Function', prefix).LoggingConfig.LogGroup.Ref;
        expect(logGroup).toMatch(new RegExp(`^${prefix}LogGroup`));
        expect(api.toJSON().Resources[logGroup].Properties.RetentionInDays).toBe(30);
      }
    });
  });

  describe('render queue', () => {
    it('hides a message at least six times the worker timeout, as AWS advises for Lambda event sources', () => {
      // Act
      const workerTimeout = propertiesOf(api, 'AWS::Lambda::Function', WORKER).Timeout;

      // Assert
      expect(queue().Properties.VisibilityTimeout).toBeGreaterThanOrEqual(6 * workerTimeout);
    });

    it('moves a message to the dead-letter queue after its third failed receive', () => {
      expect(queue().Properties.RedrivePolicy).toEqual({
        deadLetterTargetArn: { 'Fn::GetAtt': [deadLetterQueueId, 'Arn'] },
        maxReceiveCount: 3,
      });
    });

    it('keeps dead letters 14 days, longer than the queue keeps pending jobs', () => {
      expect(deadLetterQueue().Properties.MessageRetentionPeriod).toBe(FOURTEEN_DAYS_S);
      expect(queue().Properties.MessageRetentionPeriod).toBeLessThan(FOURTEEN_DAYS_S);
    });

    it('encrypts both queues, refuses non-TLS access to them and keeps them when the stack goes', () => {
      for (const id of [queueId, deadLetterQueueId]) {
        // Act
        const resource = data.toJSON().Resources[id];
        const policy = Object.values(data.findResources('AWS::SQS::QueuePolicy')).find(
          (candidate) => JSON.stringify(candidate.Properties.Queues) === JSON.stringify([{ Ref: id }]),
        );

        // Assert
        expect(resource.Properties.SqsManagedSseEnabled).toBe(true);
        expect(resource).toMatchObject({ DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
        expect(policy?.Properties.PolicyDocument.Statement).toEqual(
          expect.arrayContaining([
            expect.objectContaining({
              Effect: 'Deny',
              Action: 'sqs:*',
              Principal: { AWS: '*' },
              Condition: { Bool: { 'aws:SecureTransport': 'false' } },
            }),
          ]),
        );
      }
      data.resourceCountIs('AWS::SQS::Queue', 2);
    });

    it('feeds the worker one message at a time, retrying only the messages it reports as failed', () => {
      // Act
      const mapping = propertiesOf(api, 'AWS::Lambda::EventSourceMapping', WORKER);
      const worker = propertiesOf(api, 'AWS::Lambda::Function', WORKER);

      // Assert
      expect(mapping).toMatchObject({
        BatchSize: 1,
        FunctionResponseTypes: ['ReportBatchItemFailures'],
        FunctionName: { Ref: expect.stringMatching(new RegExp(`^${WORKER}Function`)) },
      });
      expect(JSON.stringify(mapping.EventSourceArn)).toContain(`GetAtt${queueId}Arn`);
      expect(mapping.ScalingConfig.MaximumConcurrency).toBeLessThanOrEqual(worker.ReservedConcurrentExecutions);
      api.resourceCountIs('AWS::Lambda::EventSourceMapping', 1);
    });

    it('alarms as soon as one message is in the dead-letter queue', () => {
      data.hasResourceProperties('AWS::CloudWatch::Alarm', {
        Namespace: 'AWS/SQS',
        MetricName: 'ApproximateNumberOfMessagesVisible',
        Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [deadLetterQueueId, 'QueueName'] } }],
        ComparisonOperator: 'GreaterThanThreshold',
        Threshold: 0,
        TreatMissingData: 'notBreaching',
        // The stage's own alarm topic when none is configured (lib/constructs/alarm-topic.ts).
        AlarmActions: [{ Ref: Match.stringLikeRegexp('^AlarmsTopic') }],
      });
    });

    it('notifies the configured SNS topic when the dead-letter alarm fires and clears', () => {
      // Arrange
      const topicArn = 'arn:aws:sns:eu-north-1:123456789012:portal-alarms';

      // Act
      const { data: withTopic } = templatesOf(buildPortalApp('dev', { alarmTopicArn: topicArn }));

      // Assert
      withTopic.hasResourceProperties('AWS::CloudWatch::Alarm', {
        MetricName: 'ApproximateNumberOfMessagesVisible',
        AlarmActions: [topicArn],
        OKActions: [topicArn],
      });
    });

    it('derives the visibility timeout from the configured worker timeout', () => {
      // Arrange
      const renderWorker = { ...configFor('dev').renderWorker, timeout: Duration.minutes(10) };

      // Act
      const { data: slower, api: slowerApi } = templatesOf(buildPortalApp('dev', { renderWorker }));

      // Assert
      const workerTimeout = propertiesOf(slowerApi, 'AWS::Lambda::Function', WORKER).Timeout;
      expect(workerTimeout).toBe(600);
      slower.hasResourceProperties('AWS::SQS::Queue', { VisibilityTimeout: 6 * workerTimeout });
    });
  });

  describe('permissions', () => {
    it('lets only ingest send messages, and only to the render queue', () => {
      // Act
      const sendTargets = resourcesAllowed(
        statementsOfPolicy(data, 'AWS::IAM::ManagedPolicy', 'IngestDataAccess'),
        'sqs:SendMessage',
      );
      const allSenders = [
        ...statementsOf(data, 'AWS::IAM::ManagedPolicy'),
        ...statementsOf(api, 'AWS::IAM::Policy'),
      ].filter((statement) =>
        actionsOf(statement).some((action) => action === 'sqs:SendMessage' || action === 'sqs:*'),
      );

      // Assert
      expect(sendTargets).toEqual([queueArn()]);
      expect(allSenders).toHaveLength(1);
    });

    it("lets ingest's tenant sessions read, write and delete documents only under the tenant's prefix, and query the indexes", () => {
      // Act: ingest reaches tenant data only through its tenant role (test/infra/tenant-isolation.test.ts)
      const statements = statementsOfPolicy(data, 'AWS::IAM::ManagedPolicy', 'TenantIngestDataAccess');

      // Assert
      for (const action of ['s3:GetObject', 's3:PutObject', 's3:DeleteObject']) {
        const resources = resourcesAllowed(statements, action);
        expect(resources).toHaveLength(1);
        expect(JSON.stringify(resources)).toMatch(/\/tenants\/\$\{aws:PrincipalTag\/tenant\}\/\*"/);
      }
      expect(JSON.stringify(resourcesAllowed(statements, 'dynamodb:Query'))).toMatch(/\/index\/GSI1".*\/index\/GSI2"/);
      expect(statements.flatMap(actionsOf)).not.toContain('dynamodb:Scan');
    });

    it("does not let the render worker's own role enqueue or touch any document or item", () => {
      // Act
      const statements = [
        ...statementsOfPolicy(data, 'AWS::IAM::ManagedPolicy', 'RenderWorkerDataAccess'),
        ...statementsOfPolicy(api, 'AWS::IAM::Policy', `${WORKER}RoleDefaultPolicy`),
      ];
      const actions = statements.flatMap(actionsOf);

      // Assert
      expect(actions).not.toContain('sqs:SendMessage');
      expect(actions.filter((action) => action.includes('*'))).toEqual([]);
      expect(actions.filter((action) => action.startsWith('s3:') || action.startsWith('dynamodb:'))).toEqual([]);
    });

    it('gives the worker exactly what the queue poller needs, on the render queue alone', () => {
      // Act
      const statements = statementsOfPolicy(data, 'AWS::IAM::ManagedPolicy', 'RenderWorkerDataAccess');
      const sqsActions = statements.flatMap(actionsOf).filter((action) => action.startsWith('sqs:'));

      // Assert
      expect(sqsActions.sort()).toEqual([...RENDER_QUEUE_CONSUMER_ACTIONS].sort());
      for (const action of RENDER_QUEUE_CONSUMER_ACTIONS) {
        expect(resourcesAllowed(statements, action)).toEqual([queueArn()]);
      }
    });

    it("attaches each function's own data access policy, and no other managed policy, to its role", () => {
      const expected = {
        ApiFunction: 'ApiDataAccess',
        [INGEST]: 'IngestDataAccess',
        [WORKER]: 'RenderWorkerDataAccess',
      };
      for (const [prefix, policy] of Object.entries(expected)) {
        const role = propertiesOf(api, 'AWS::IAM::Role', `${prefix}Role`);
        expect(role.ManagedPolicyArns).toHaveLength(1);
        expect(JSON.stringify(role.ManagedPolicyArns)).toContain(policy);
      }
    });
  });

  describe('routing', () => {
    it('sends every method on /ingest/* to the ingest function', () => {
      // Act
      const route = Object.values(api.findResources('AWS::ApiGatewayV2::Route')).find(
        (candidate) => candidate.Properties.RouteKey === 'ANY /ingest/{proxy+}',
      );
      const integrationId = route?.Properties.Target['Fn::Join'][1][1].Ref;

      // Assert
      expect(api.toJSON().Resources[integrationId].Properties).toMatchObject({
        IntegrationType: 'AWS_PROXY',
        PayloadFormatVersion: '2.0',
        IntegrationUri: { 'Fn::GetAtt': [expect.stringMatching(new RegExp(`^${INGEST}`)), 'Arn'] },
      });
    });

    it('has CloudFront send /ingest/* to the HTTP API exactly like /api/*: uncached, all methods, host forwarded', () => {
      // Act
      const [distribution] = Object.values(web.findResources('AWS::CloudFront::Distribution'));
      const behaviors: { PathPattern: string }[] = distribution?.Properties.DistributionConfig.CacheBehaviors;
      const byPath = (pathPattern: string) => behaviors.find((behavior) => behavior.PathPattern === pathPattern);

      // Assert
      expect(byPath('/ingest/*')).toEqual({ ...byPath('/api/*'), PathPattern: '/ingest/*' });
      expect(byPath('/ingest/*')).toMatchObject({
        CachePolicyId: CACHING_DISABLED_ID,
        OriginRequestPolicyId: OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER.originRequestPolicyId,
        AllowedMethods: ['GET', 'HEAD', 'OPTIONS', 'PUT', 'PATCH', 'POST', 'DELETE'],
        ViewerProtocolPolicy: 'https-only',
        FunctionAssociations: [{ EventType: 'viewer-request', FunctionARN: expect.anything() }],
      });
    });
  });
});
