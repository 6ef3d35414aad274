import { join } from 'node:path';
import { AssetHashType, DockerImage, Duration, type ILocalBundling, Validations } from 'aws-cdk-lib';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import {
  Architecture,
  Code,
  Function as LambdaFunction,
  LoggingFormat,
  Runtime,
  SystemLogLevel,
  Tracing,
} from 'aws-cdk-lib/aws-lambda';
import { LogGroup } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { type PortalConfig, PROJECT_ROOT } from '../config';
import { bundleLambdaSync, LAMBDA_HANDLER } from './lambda-bundling';

/** The newest Node.js runtime aws-cdk-lib offers; bump together with the esbuild `target` in lambda-bundling.ts. */
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

/**
 * Stages a function's asset with lambda-bundling.ts, in this process (esbuild is a dev dependency), as NodejsFunction
 * does with its own options. The entry is a field, not only a closure: CDK caches staged assets by their
 * JSON-serialised bundling options, and two functions must not serialise alike.
 */
class EsbuildBundling implements ILocalBundling {
  constructor(readonly entry: string) {}

  tryBundle(outputDir: string): boolean {
    bundleLambdaSync(join(PROJECT_ROOT, this.entry), outputDir);
    return true;
  }
}

/** A function's code: its entry bundled by lambda-bundling.ts (the entry file and the chunks it loads). */
function portalFunctionCode(entry: string): Code {
  return Code.fromAsset(PROJECT_ROOT, {
    // Hashed after bundling, as NodejsFunction does: the asset changes exactly when the bundle does.
    assetHashType: AssetHashType.OUTPUT,
    bundling: {
      // Never pulled: tryBundle bundles or throws, it never hands over to Docker (NodejsFunction names "dummy" too).
      image: DockerImage.fromRegistry('dummy'),
      local: new EsbuildBundling(entry),
    },
  });
}

/**
 * A Lambda function with the portal's defaults: arm64, newest Node.js runtime, SDK bundled (ESM), source maps on,
 * X-Ray tracing, and an explicit log group with retention. Its role starts empty except for writing to that log
 * group (no AWSLambdaBasicExecutionRole, which would allow writing to any log group); callers grant the rest.
 */
export class PortalFunction extends Construct {
  readonly function: LambdaFunction;
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

    this.function = new LambdaFunction(this, 'Function', {
      code: portalFunctionCode(props.entry),
      handler: LAMBDA_HANDLER,
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
