import { runInNewContext } from 'node:vm';
import { Match, type Template } from 'aws-cdk-lib/assertions';
import { CachePolicy, OriginRequestPolicy } from 'aws-cdk-lib/aws-cloudfront';
import { beforeAll, describe, expect, it } from 'vitest';
import { FRONTEND_CONTENT_SECURITY_POLICY as CONTENT_SECURITY_POLICY } from '../../frontend/security-headers';
import { FORWARD_HOST_CODE, SPA_FALLBACK_CODE } from '../../lib/constructs/edge-functions';
import { API_FALLBACK_CONTENT_SECURITY_POLICY, API_PATH_PATTERNS } from '../../lib/stacks/web-stack';
import { buildPortalApp, SYNTH_TIMEOUT_MS, templatesOf } from './support/portal-app';

const CACHING_DISABLED_ID = '4135ea2d-6df8-44a3-9df3-4b5a84be39ad';

type Headers = Record<string, { value: string }>;
interface ViewerRequest {
  uri: string;
  headers: Headers;
}

/** Runs a CloudFront Function's source the way the viewer-request trigger would. */
function runEdgeFunction(code: string, request: ViewerRequest): ViewerRequest {
  const handler = runInNewContext(`${code}; handler`) as (event: { request: ViewerRequest }) => ViewerRequest;
  return handler({ request: structuredClone(request) });
}

function distributionConfig(template: Template) {
  const [distribution] = Object.values(template.findResources('AWS::CloudFront::Distribution'));
  return distribution?.Properties.DistributionConfig;
}

describe('the web stack', () => {
  let web: Template;
  beforeAll(() => {
    web = templatesOf(buildPortalApp('dev')).web;
  }, SYNTH_TIMEOUT_MS);

  it('serves the frontend from a private bucket that only CloudFront can read, through Origin Access Control', () => {
    // Act
    const config = distributionConfig(web);

    // Assert
    web.hasResourceProperties('AWS::S3::Bucket', {
      PublicAccessBlockConfiguration: Match.objectLike({ BlockPublicPolicy: true, RestrictPublicBuckets: true }),
      BucketEncryption: Match.anyValue(),
      OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
    });
    web.hasResourceProperties('AWS::CloudFront::OriginAccessControl', {
      OriginAccessControlConfig: Match.objectLike({ OriginAccessControlOriginType: 's3', SigningBehavior: 'always' }),
    });
    expect(config.DefaultCacheBehavior.TargetOriginId).toBe(
      config.Origins.find((origin: { OriginAccessControlId?: unknown }) => origin.OriginAccessControlId)?.Id,
    );
    web.hasResourceProperties('AWS::S3::BucketPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: 'Allow',
            Action: 's3:GetObject',
            Principal: { Service: 'cloudfront.amazonaws.com' },
            Condition: { StringEquals: { 'AWS:SourceArn': Match.anyValue() } },
          }),
        ]),
      },
    });
  });

  it.each(API_PATH_PATTERNS)(
    'sends %s to the HTTP API uncached, with every method and every viewer header but Host',
    (pathPattern) => {
      // Act
      const apiBehavior = distributionConfig(web).CacheBehaviors.find(
        (behavior: { PathPattern: string }) => behavior.PathPattern === pathPattern,
      );

      // Assert
      expect(API_PATH_PATTERNS).toEqual(['/api/*', '/ingest/*']);
      expect(apiBehavior).toMatchObject({
        CachePolicyId: CACHING_DISABLED_ID,
        OriginRequestPolicyId: OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER.originRequestPolicyId,
        AllowedMethods: ['GET', 'HEAD', 'OPTIONS', 'PUT', 'PATCH', 'POST', 'DELETE'],
        ViewerProtocolPolicy: 'https-only',
        FunctionAssociations: [{ EventType: 'viewer-request', FunctionARN: expect.anything() }],
      });
      expect(CachePolicy.CACHING_DISABLED.cachePolicyId).toBe(CACHING_DISABLED_ID);
    },
  );

  it('redirects HTTP to HTTPS, serves index.html at the root and uses the cheapest price class', () => {
    expect(distributionConfig(web)).toMatchObject({
      DefaultCacheBehavior: { ViewerProtocolPolicy: 'redirect-to-https' },
      DefaultRootObject: 'index.html',
      PriceClass: 'PriceClass_100',
      Logging: { Bucket: expect.anything(), Prefix: 'cloudfront/' },
    });
  });

  it('adds the security headers to every response, API answers included', () => {
    // Act
    const config = distributionConfig(web);

    // Assert
    web.hasResourceProperties('AWS::CloudFront::ResponseHeadersPolicy', {
      ResponseHeadersPolicyConfig: Match.objectLike({
        SecurityHeadersConfig: {
          ContentSecurityPolicy: { ContentSecurityPolicy: CONTENT_SECURITY_POLICY, Override: true },
          StrictTransportSecurity: {
            AccessControlMaxAgeSec: 31_536_000,
            IncludeSubdomains: true,
            Override: true,
          },
          ContentTypeOptions: { Override: true },
          FrameOptions: { FrameOption: 'DENY', Override: true },
          ReferrerPolicy: { ReferrerPolicy: 'no-referrer', Override: true },
        },
      }),
    });
    expect(CONTENT_SECURITY_POLICY).toBe(
      "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'",
    );
    // API paths keep the origin's CSP (the API's own, or the reference page's style hash); the rest is the same.
    web.hasResourceProperties('AWS::CloudFront::ResponseHeadersPolicy', {
      ResponseHeadersPolicyConfig: Match.objectLike({
        SecurityHeadersConfig: Match.objectLike({
          ContentSecurityPolicy: { ContentSecurityPolicy: API_FALLBACK_CONTENT_SECURITY_POLICY, Override: false },
          StrictTransportSecurity: { AccessControlMaxAgeSec: 31_536_000, IncludeSubdomains: true, Override: true },
          FrameOptions: { FrameOption: 'DENY', Override: true },
        }),
      }),
    });
    const [frontendPolicy, ...apiPolicies] = [config.DefaultCacheBehavior, ...config.CacheBehaviors].map(
      (behavior: { ResponseHeadersPolicyId: unknown }) => behavior.ResponseHeadersPolicyId,
    );
    expect(frontendPolicy).toBeDefined();
    expect(apiPolicies).toHaveLength(API_PATH_PATTERNS.length);
    expect(new Set(apiPolicies.map((policy) => JSON.stringify(policy))).size).toBe(1);
    expect(apiPolicies[0]).not.toEqual(frontendPolicy);
  });

  it('serves index.html for client-side routes but leaves files and API errors alone', () => {
    // Arrange
    const route = { uri: '/kunder/42/dokument', headers: {} };
    const file = { uri: '/assets/index-3f2a.js', headers: {} };

    // Act / Assert
    expect(runEdgeFunction(SPA_FALLBACK_CODE, route).uri).toBe('/index.html');
    expect(runEdgeFunction(SPA_FALLBACK_CODE, file).uri).toBe('/assets/index-3f2a.js');
    // The admin pages are a page of their own: /admin and the extension-less paths below it.
    const served = (uri: string) => runEdgeFunction(SPA_FALLBACK_CODE, { uri, headers: {} }).uri;
    expect(['/admin', '/admin/', '/admin/satt-losenord'].map(served)).toEqual([
      '/admin.html',
      '/admin.html',
      '/admin.html',
    ]);
    expect(['/administration', '/satt-losenord', '/admin.html', '/admin/logo.svg'].map(served)).toEqual([
      '/index.html',
      '/index.html',
      '/admin.html',
      '/admin/logo.svg',
    ]);
    expect(distributionConfig(web).CustomErrorResponses).toBeUndefined();
    web.hasResourceProperties('AWS::CloudFront::Function', {
      FunctionCode: SPA_FALLBACK_CODE,
      FunctionConfig: Match.objectLike({ Runtime: 'cloudfront-js-2.0' }),
    });
  });

  it('a client cannot pick another clinic by sending its own x-forwarded-host', () => {
    // Arrange
    const request = {
      uri: '/api/session',
      headers: { host: { value: 'halsan.portal.example.se' }, 'x-forwarded-host': { value: 'other.example.se' } },
    };

    // Act
    const forwarded = runEdgeFunction(FORWARD_HOST_CODE, request);

    // Assert
    expect(forwarded.headers['x-forwarded-host']).toEqual({ value: 'halsan.portal.example.se' });
    web.hasResourceProperties('AWS::CloudFront::Function', {
      FunctionCode: Match.stringLikeRegexp(
        "request\\.headers\\['x-forwarded-host'\\] = \\{ value: request\\.headers\\.host",
      ),
    });
  });

  it('on a custom domain, requires TLS 1.2 and presents the configured certificate', () => {
    // Arrange
    const certificateArn = 'arn:aws:acm:us-east-1:123456789012:certificate/11111111-2222-3333-4444-555555555555';

    // Act
    const { web: onDomain } = templatesOf(
      buildPortalApp('prod', { customDomain: { domainNames: ['*.portal.example.se'], certificateArn } }),
    );

    // Assert
    expect(distributionConfig(onDomain)).toMatchObject({
      Aliases: ['*.portal.example.se'],
      ViewerCertificate: {
        AcmCertificateArn: certificateArn,
        MinimumProtocolVersion: 'TLSv1.2_2021',
        SslSupportMethod: 'sni-only',
      },
    });
  });
});
