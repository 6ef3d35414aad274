import { join } from 'node:path';
import { Duration, Validations } from 'aws-cdk-lib';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Architecture, LoggingFormat, Runtime, SystemLogLevel, Tracing } from 'aws-cdk-lib/aws-lambda';
import { type BundlingOptions, NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { type PortalConfig, PROJECT_ROOT } from '../config';
import { LAMBDA_BUNDLING } from './lambda-bundling';

/** The newest Node.js runtime aws-cdk-lib offers; bump together with `LAMBDA_BUNDLING.target`. */
export const PORTAL_RUNTIME = Runtime.NODEJS_24_X;

export interface PortalFunctionProps {
  /** Entry file relative to the repository root, e.g. `functions/lambda/api.ts`. */
  readonly entry: string;
  readonly environment?: Readonly<Record<string, string>>;
  /** The stage's log settings (pass the PortalConfig). */
  readonly logging: FunctionLogging;
  readonly memorySize?: number;
  readonly timeout?: Duration;
  /** Caps the function's concurrency (and reserves it from the account's pool); unset: no cap. */
  readonly reservedConcurrentExecutions?: number;
}

export type FunctionLogging = Pick<PortalConfig, 'logRetention' | 'logRemovalPolicy' | 'logLevel'>;

/** {@link LAMBDA_BUNDLING} in NodejsFunction's vocabulary. */
export function cdkBundlingOptions(): BundlingOptions {
  return {
    format: OutputFormat.ESM,
    minify: LAMBDA_BUNDLING.minify,
    sourceMap: LAMBDA_BUNDLING.sourceMap,
    target: LAMBDA_BUNDLING.target,
    externalModules: [...LAMBDA_BUNDLING.externalModules],
    mainFields: [...LAMBDA_BUNDLING.mainFields],
    banner: LAMBDA_BUNDLING.banner,
    loader: { ...LAMBDA_BUNDLING.loader },
  };
}

/**
 * A Lambda function with the portal's defaults: arm64, newest Node.js runtime, SDK bundled (ESM), source maps on,
 * X-Ray tracing, and an explicit log group with retention. Its role starts empty except for writing to that log
 * group (no AWSLambdaBasicExecutionRole, which would allow writing to any log group); callers grant the rest.
 */
export class PortalFunction extends Construct {
  readonly function: NodejsFunction;
  readonly role: Role;
  readonly logGroup: LogGroup;

  constructor(scope: Construct, id: string, props: PortalFunctionProps) {
    super(scope, id);

    this.logGroup = new LogGroup(this, 'LogGroup', {
      retention: props.logging.logRetention,
      removalPolicy: props.logging.logRemovalPolicy,
    });

    this.role = new Role(this, 'Role', { assumedBy: new ServicePrincipal('lambda.amazonaws.com') });
    this.logGroup.grantWrite(this.role);

    this.function = new NodejsFunction(this, 'Function', {
      entry: join(PROJECT_ROOT, props.entry),
      handler: 'handler',
      projectRoot: PROJECT_ROOT,
      depsLockFilePath: join(PROJECT_ROOT, 'package-lock.json'),
      runtime: PORTAL_RUNTIME,
      architecture: Architecture.ARM_64,
      memorySize: props.memorySize ?? 1024,
      timeout: props.timeout ?? Duration.seconds(10),
      ...(props.reservedConcurrentExecutions === undefined
        ? {}
        : { reservedConcurrentExecutions: props.reservedConcurrentExecutions }),
      tracing: Tracing.ACTIVE,
      role: this.role,
      logGroup: this.logGroup,
      // JSON: Lambda's own lines (START, REPORT with duration and memory) become JSON too, and the application's
      // JSON lines (functions/adapters/system/json-logger.ts) are kept as they are, so Logs Insights and metric
      // filters read every line by field. The application level reaches the code as AWS_LAMBDA_LOG_LEVEL.
      loggingFormat: LoggingFormat.JSON,
      applicationLogLevelV2: props.logging.logLevel,
      systemLogLevelV2: SystemLogLevel.INFO,
      environment: { NODE_OPTIONS: '--enable-source-maps', ...props.environment },
      bundling: cdkBundlingOptions(),
    });

    // Active tracing added xray:PutTraceSegments/PutTelemetryRecords to the role's default policy.
    const tracingPolicy = this.role.node.tryFindChild('DefaultPolicy');
    if (tracingPolicy) {
      Validations.of(tracingPolicy).acknowledge({
        id: 'AwsSolutions-IAM5[Resource::*]',
        reason: 'X-Ray PutTraceSegments and PutTelemetryRecords support no resource-level permissions.',
      });
    }
  }
}
