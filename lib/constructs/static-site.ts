import { Duration, type RemovalPolicy, Stack, Token, Validations } from 'aws-cdk-lib';
import type { ICertificate } from 'aws-cdk-lib/aws-certificatemanager';
import {
  Function as CloudFrontFunction,
  Distribution,
  FunctionCode,
  FunctionEventType,
  FunctionRuntime,
  HeadersFrameOption,
  HeadersReferrerPolicy,
  HttpVersion,
  PriceClass,
  ResponseHeadersPolicy,
  SecurityPolicyProtocol,
  ViewerProtocolPolicy,
} from 'aws-cdk-lib/aws-cloudfront';
import { S3BucketOrigin } from 'aws-cdk-lib/aws-cloudfront-origins';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import { BlockPublicAccess, Bucket, BucketEncryption, ObjectOwnership } from 'aws-cdk-lib/aws-s3';
import { BucketDeployment, Source } from 'aws-cdk-lib/aws-s3-deployment';
import { Construct } from 'constructs';
import { FRONTEND_CONTENT_SECURITY_POLICY } from '../../frontend/security-headers';
import { bucketRef, logicalIdOf } from '../cdk-helpers';
import { SPA_FALLBACK_CODE } from './edge-functions';

export interface StaticSiteProps {
  /** Folder with the built site (index.html at its root). */
  readonly sourcePath: string;
  /** Receives the site bucket's server access logs and the distribution's standard logs. */
  readonly logBucket: Bucket;
  readonly domainNames?: readonly string[];
  /** Required with `domainNames`; must be in us-east-1. */
  readonly certificate?: ICertificate;
  /** A CloudFront-scoped WAF web ACL (us-east-1); every request passes it before CloudFront serves or forwards it. */
  readonly webAclArn: string;
  /** For the deployment custom resource's log group. */
  readonly logRetention: RetentionDays;
  readonly logRemovalPolicy: RemovalPolicy;
}

/**
 * A private S3 bucket behind CloudFront: Origin Access Control (the bucket is never public), HTTPS only, TLS 1.2+ when
 * on a custom domain, a WAF web ACL, security headers on every response, and an SPA fallback to index.html.
 */
export class StaticSite extends Construct {
  readonly bucket: Bucket;
  readonly distribution: Distribution;
  /** Attach to every behaviour added later, so API responses carry the same headers. */
  readonly responseHeadersPolicy: ResponseHeadersPolicy;

  constructor(scope: Construct, id: string, props: StaticSiteProps) {
    super(scope, id);

    this.bucket = new Bucket(this, 'Bucket', {
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      serverAccessLogsBucket: bucketRef(props.logBucket),
      serverAccessLogsPrefix: 'site-bucket/',
    });

    this.responseHeadersPolicy = new ResponseHeadersPolicy(this, 'SecurityHeaders', {
      comment: 'Foretagsportal security headers',
      securityHeadersBehavior: {
        contentSecurityPolicy: { contentSecurityPolicy: FRONTEND_CONTENT_SECURITY_POLICY, override: true },
        strictTransportSecurity: {
          accessControlMaxAge: Duration.days(365),
          includeSubdomains: true,
          override: true,
        },
        contentTypeOptions: { override: true },
        frameOptions: { frameOption: HeadersFrameOption.DENY, override: true },
        referrerPolicy: { referrerPolicy: HeadersReferrerPolicy.NO_REFERRER, override: true },
      },
    });

    const spaFallback = new CloudFrontFunction(this, 'SpaFallback', {
      code: FunctionCode.fromInline(SPA_FALLBACK_CODE),
      runtime: FunctionRuntime.JS_2_0,
      comment: 'Serve index.html for client-side routes',
    });

    this.distribution = new Distribution(this, 'Distribution', {
      comment: 'Foretagsportal',
      defaultRootObject: 'index.html',
      priceClass: PriceClass.PRICE_CLASS_100,
      httpVersion: HttpVersion.HTTP2_AND_3,
      // The TLS policy only applies to a custom certificate; *.cloudfront.net has a fixed one.
      ...(props.domainNames && props.certificate
        ? {
            domainNames: [...props.domainNames],
            certificate: props.certificate,
            minimumProtocolVersion: SecurityPolicyProtocol.TLS_V1_2_2021,
          }
        : {}),
      webAclId: props.webAclArn,
      enableLogging: true,
      logBucket: bucketRef(props.logBucket),
      logFilePrefix: 'cloudfront/',
      defaultBehavior: {
        origin: S3BucketOrigin.withOriginAccessControl(bucketRef(this.bucket)),
        viewerProtocolPolicy: ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        responseHeadersPolicy: this.responseHeadersPolicy,
        functionAssociations: [{ function: spaFallback, eventType: FunctionEventType.VIEWER_REQUEST }],
      },
    });

    Validations.of(this.distribution).acknowledge({
      id: 'AwsSolutions-CFR1',
      reason:
        'No geo restriction: customer staff of Swedish companies sign in from abroad too, and the API authenticates every request.',
    });

    this.deploySite(props);
  }

  /**
   * Uploads the built site and invalidates the cache. The deployment runs in a CDK-provided custom resource; it gets
   * our own role (logging only to its own log group, no AWS managed policy) and its remaining findings are CDK's
   * grants, acknowledged one by one below.
   */
  private deploySite(props: StaticSiteProps): void {
    const logGroup = new LogGroup(this, 'DeploymentLogs', {
      retention: props.logRetention,
      removalPolicy: props.logRemovalPolicy,
    });
    const role = new Role(this, 'DeploymentRole', { assumedBy: new ServicePrincipal('lambda.amazonaws.com') });
    logGroup.grantWrite(role);

    new BucketDeployment(this, 'Deployment', {
      sources: [Source.asset(props.sourcePath)],
      destinationBucket: bucketRef(this.bucket),
      distribution: this.distribution,
      distributionPaths: ['/*'],
      role,
      logGroup,
    });

    const stack = Stack.of(this);
    const account = Token.isUnresolved(stack.account) ? '<AWS::AccountId>' : stack.account;
    const cdkGrants: Record<string, string> = {
      'Action::s3:GetBucket*': 'CDK grant: read the CDK asset bucket holding the zipped site.',
      'Action::s3:GetObject*': 'CDK grant: read the zipped site from the CDK asset bucket.',
      'Action::s3:List*': 'CDK grant: list the asset and site buckets to sync and prune.',
      'Action::s3:Abort*': 'CDK grant: abort failed uploads to the site bucket.',
      'Action::s3:DeleteObject*': 'CDK grant: prune files of an earlier build from the site bucket.',
      [`Resource::arn:aws:s3:::cdk-hnb659fds-assets-${account}-${stack.region}/*`]:
        'CDK grant: objects of the CDK bootstrap asset bucket.',
      [`Resource::<${logicalIdOf(this.bucket)}.Arn>/*`]: 'CDK grant: every object of the site bucket is the site.',
      'Resource::*': 'CloudFront CreateInvalidation/GetInvalidation support no resource-level permissions.',
    };
    for (const [finding, reason] of Object.entries(cdkGrants)) {
      Validations.of(role).acknowledge({ id: `AwsSolutions-IAM5[${finding}]`, reason });
    }

    const handler = stack.node.children.find((child) => child.node.id.startsWith('Custom::CDKBucketDeployment'));
    if (handler) {
      Validations.of(handler).acknowledge({
        id: 'AwsSolutions-L1',
        reason: `The runtime of CDK's BucketDeployment handler is chosen by aws-cdk-lib, not by us; it runs only during deployments.`,
      });
    }
  }
}
