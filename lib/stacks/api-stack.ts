import { Stack, type StackProps, Validations } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import { HttpApi, HttpMethod, LogGroupLogDestination } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type { Table } from 'aws-cdk-lib/aws-dynamodb';
import type { IManagedPolicy } from 'aws-cdk-lib/aws-iam';
import { LogGroup } from 'aws-cdk-lib/aws-logs';
import type { Bucket } from 'aws-cdk-lib/aws-s3';
import type { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct } from 'constructs';
import type { PortalConfig } from '../config';
import { PortalFunction } from '../constructs/portal-function';

/** Path of the one API route; CloudFront forwards `/api/*` here. */
export const API_ROUTE_PATH = '/api/{proxy+}';

export interface ApiStackProps extends StackProps {
  readonly config: PortalConfig;
  readonly table: Table;
  readonly documentsBucket: Bucket;
  readonly sessionSigningSeed: Secret;
  /** The data stack's least-privilege policy for this function (table items, documents under tenants/, secret). */
  readonly dataAccess: IManagedPolicy;
}

/** Stateless: the API function and the HTTP API in front of it. */
export class ApiStack extends Stack {
  readonly httpApi: HttpApi;
  readonly apiFunction: PortalFunction;

  constructor(scope: Construct, id: string, props: ApiStackProps) {
    super(scope, id, props);
    const { config, table, documentsBucket, sessionSigningSeed } = props;

    // The names are the contract with functions/runtime/aws.ts.
    this.apiFunction = new PortalFunction(this, 'ApiFunction', {
      entry: 'functions/lambda/api.ts',
      environment: {
        TABLE_NAME: table.tableName,
        DOCUMENTS_BUCKET: documentsBucket.bucketName,
        SESSION_SECRET_ARN: sessionSigningSeed.secretArn,
      },
      logRetention: config.logRetention,
      logRemovalPolicy: config.logRemovalPolicy,
    });
    this.apiFunction.role.addManagedPolicy(props.dataAccess);

    const accessLogs = new LogGroup(this, 'HttpApiAccessLogs', {
      retention: config.logRetention,
      removalPolicy: config.logRemovalPolicy,
    });

    this.httpApi = new HttpApi(this, 'HttpApi', {
      description: `Företagsportal API (${config.stage})`,
      createDefaultStage: false,
    });
    this.httpApi.addStage('DefaultStage', {
      stageName: '$default',
      autoDeploy: true,
      throttle: config.apiThrottling,
      accessLogSettings: {
        destination: new LogGroupLogDestination(accessLogs),
        // No query strings and no headers: they can carry one-time tokens and cookies.
        format: AccessLogFormat.custom(
          JSON.stringify({
            requestId: '$context.requestId',
            requestTime: '$context.requestTime',
            sourceIp: '$context.identity.sourceIp',
            userAgent: '$context.identity.userAgent',
            httpMethod: '$context.httpMethod',
            routeKey: '$context.routeKey',
            path: '$context.path',
            status: '$context.status',
            protocol: '$context.protocol',
            responseLength: '$context.responseLength',
            responseLatency: '$context.responseLatency',
            integrationLatency: '$context.integrationLatency',
            integrationError: '$context.integrationErrorMessage',
          }),
        ),
      },
    });

    const [route] = this.httpApi.addRoutes({
      path: API_ROUTE_PATH,
      methods: [HttpMethod.ANY],
      integration: new HttpLambdaIntegration('ApiIntegration', this.apiFunction.function),
    });
    if (route) {
      Validations.of(route).acknowledge({
        id: 'AwsSolutions-APIG4',
        reason:
          'Authentication is application-level (BankID login, signed session tokens checked by the authenticate middleware); login and public routes must be reachable anonymously, so no gateway authorizer.',
      });
    }
  }
}
