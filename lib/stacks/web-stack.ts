import { Duration, Fn, Stack, type StackProps, Validations } from 'aws-cdk-lib';
import type { HttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import { Certificate } from 'aws-cdk-lib/aws-certificatemanager';
import {
  AllowedMethods,
  CachePolicy,
  Function as CloudFrontFunction,
  FunctionCode,
  FunctionEventType,
  FunctionRuntime,
  HeadersFrameOption,
  HeadersReferrerPolicy,
  OriginProtocolPolicy,
  OriginRequestPolicy,
  OriginSslPolicy,
  ResponseHeadersPolicy,
  ViewerProtocolPolicy,
} from 'aws-cdk-lib/aws-cloudfront';
import { HttpOrigin } from 'aws-cdk-lib/aws-cloudfront-origins';
import { ObjectOwnership } from 'aws-cdk-lib/aws-s3';
import type { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct } from 'constructs';
import type { PortalConfig } from '../config';
import { FORWARD_HOST_CODE } from '../constructs/edge-functions';
import { logBucket } from '../constructs/log-bucket';
import { StaticSite } from '../constructs/static-site';
import { ORIGIN_VERIFY_HEADER } from './api-stack';

/**
 * Paths CloudFront sends to the HTTP API, every one uncached with the same headers and host forwarding: the portal
 * API and the clinics' ingest API (see the routes in api-stack.ts).
 */
export const API_PATH_PATTERNS = ['/api/*', '/ingest/*'] as const;

/**
 * The CSP for API answers that set none. The API sets `default-src 'none'` on every JSON answer itself, and the
 * ingest reference page (/ingest/v1/docs) a policy that allows exactly its own inline style by hash, so CloudFront
 * must keep the origin's policy (override: false) instead of imposing the frontend's.
 */
export const API_FALLBACK_CONTENT_SECURITY_POLICY = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'";

export interface WebStackProps extends StackProps {
  readonly config: PortalConfig;
  readonly httpApi: HttpApi;
  /** The API stack's origin secret, which CloudFront sends to the HTTP API in {@link ORIGIN_VERIFY_HEADER}. */
  readonly originSecret: Secret;
  /** The CloudFront-scoped WAF web ACL in front of everything (lib/constructs/portal-web-acl.ts, or the operator's). */
  readonly webAclArn: string;
}

/** The one public entry point: CloudFront serving the frontend, with {@link API_PATH_PATTERNS} routed to the HTTP API. */
export class WebStack extends Stack {
  readonly site: StaticSite;

  constructor(scope: Construct, id: string, props: WebStackProps) {
    super(scope, id, props);
    const { config, httpApi } = props;

    // CloudFront standard logs are delivered with ACLs, so this bucket cannot enforce bucket-owner-only ownership.
    const cloudFrontLogBucket = logBucket(this, 'LogBucket', {
      objectOwnership: ObjectOwnership.BUCKET_OWNER_PREFERRED,
    });

    const { customDomain } = config;
    this.site = new StaticSite(this, 'Site', {
      sourcePath: config.frontendDistPath,
      logBucket: cloudFrontLogBucket,
      logRetention: config.logRetention,
      logRemovalPolicy: config.logRemovalPolicy,
      ...(customDomain
        ? {
            // The stage's names and the clinics' own (config.clinics), all under the one certificate.
            domainNames: [...customDomain.domainNames, ...config.clinics.flatMap((clinic) => clinic.domainNames ?? [])],
            certificate: Certificate.fromCertificateArn(this, 'Certificate', customDomain.certificateArn),
          }
        : {}),
      webAclArn: props.webAclArn,
    });
    const { distribution } = this.site;

    const forwardHost = new CloudFrontFunction(this, 'ForwardHost', {
      code: FunctionCode.fromInline(FORWARD_HOST_CODE),
      runtime: FunctionRuntime.JS_2_0,
      comment: 'Copy the viewer Host into x-forwarded-host for tenant resolution',
    });

    // apiEndpoint is https://<id>.execute-api.<region>.amazonaws.com; the origin wants the bare host name.
    const apiDomain = Fn.select(2, Fn.split('/', httpApi.apiEndpoint));
    const apiOrigin = new HttpOrigin(apiDomain, {
      protocolPolicy: OriginProtocolPolicy.HTTPS_ONLY,
      originSslProtocols: [OriginSslPolicy.TLS_V1_2],
      // A CloudFormation dynamic reference ({{resolve:secretsmanager:…}}), resolved at deploy time: the value never
      // appears in the template or the CDK output.
      customHeaders: { [ORIGIN_VERIFY_HEADER]: props.originSecret.secretValue.unsafeUnwrap() },
    });
    // The same headers as the frontend's, except that the origin's own Content-Security-Policy wins.
    const apiHeaders = new ResponseHeadersPolicy(this, 'ApiSecurityHeaders', {
      comment: 'Foretagsportal API security headers',
      securityHeadersBehavior: {
        contentSecurityPolicy: { contentSecurityPolicy: API_FALLBACK_CONTENT_SECURITY_POLICY, override: false },
        strictTransportSecurity: { accessControlMaxAge: Duration.days(365), includeSubdomains: true, override: true },
        contentTypeOptions: { override: true },
        frameOptions: { frameOption: HeadersFrameOption.DENY, override: true },
        referrerPolicy: { referrerPolicy: HeadersReferrerPolicy.NO_REFERRER, override: true },
      },
    });
    for (const pathPattern of API_PATH_PATTERNS) {
      distribution.addBehavior(pathPattern, apiOrigin, {
        viewerProtocolPolicy: ViewerProtocolPolicy.HTTPS_ONLY,
        allowedMethods: AllowedMethods.ALLOW_ALL,
        cachePolicy: CachePolicy.CACHING_DISABLED,
        originRequestPolicy: OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER,
        responseHeadersPolicy: apiHeaders,
        functionAssociations: [{ function: forwardHost, eventType: FunctionEventType.VIEWER_REQUEST }],
      });
    }

    if (!customDomain) {
      Validations.of(distribution).acknowledge({
        id: 'AwsSolutions-CFR4',
        reason:
          'Without a custom domain the distribution uses the *.cloudfront.net certificate, whose TLS policy CloudFront fixes; TLSv1.2_2021 applies once config.customDomain is set.',
      });
    }
  }
}
