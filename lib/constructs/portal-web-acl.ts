import { ArnFormat, type RemovalPolicy, Stack } from 'aws-cdk-lib';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import { CfnLoggingConfiguration, CfnWebACL } from 'aws-cdk-lib/aws-wafv2';
import { Construct } from 'constructs';
import type { WafRateLimits } from '../config';

/**
 * The window WAF counts each rate-based rule's requests over, per client IP address (WAF's default). WAF re-checks
 * about every 10 seconds, so an address that stops sending is let through again within this long.
 */
export const RATE_WINDOW_SECONDS = 300;

/** WAF refuses rate-based rules with a lower limit. */
const MIN_RATE_LIMIT = 10;

/**
 * URI paths as WAF regular expressions: anchored, `[^/]+` for one path parameter, and no groups (WAF's PCRE has no
 * capturing subexpressions). They are matched after URL-decoding and path normalisation (see {@link
 * PATH_TRANSFORMATIONS}), so `/api/auth/%6Cogin` or `/api/auth/./login` count as the login they reach in the app.
 * test/infra/web-acl.test.ts matches them against the app's route table.
 */
type PathPattern = `^/${string}`;

/** The paths each rate limit of {@link WafRateLimits} counts, per client IP address. */
export const RATE_LIMITED_PATHS: Readonly<Record<keyof WafRateLimits, readonly PathPattern[]>> = {
  passwordSignIn: [
    '^/api/auth/login$',
    '^/api/auth/password-reset$',
    '^/api/admin/auth/login$',
    // The administrators' second step: a TOTP or recovery code, or the first authenticator's code at enrolment.
    '^/api/admin/auth/verify$',
    '^/api/admin/auth/enrol$',
  ],
  bankIdStart: ['^/api/auth/bankid$'],
  bankIdPolling: ['^/api/auth/bankid/[^/]+/collect$', '^/api/auth/bankid/[^/]+/cancel$'],
  ingest: ['^/ingest/'],
};

/**
 * The paths whose request bodies may exceed the 8 KB that the common rule set's SizeRestrictions_BODY allows. The
 * app bounds each of them itself and answers 413 beyond: the logo image up to 512 KB (LOGO_LIMITS), a ZIP of up to
 * 500 chosen documents (their ids, about 20 KB of JSON, under the API's 32 KB body limit) and invoice bases up to
 * 4 MB through ingest (docs/render-pipeline.md, "Size limits").
 */
export const LARGE_BODY_PATHS: readonly PathPattern[] = [
  '^/api/admin/settings/logo$',
  '^/api/customers/[^/]+/document-archives$',
  '^/ingest/',
];

/** URL-decode first, so that encoded dots and slashes are normalised too. */
export const PATH_TRANSFORMATIONS = [
  { priority: 0, type: 'URL_DECODE' },
  { priority: 1, type: 'NORMALIZE_PATH' },
] as const;

/**
 * AWS managed rule groups, in the order they run. None costs more than the $1 a month of a rule. Left out on
 * purpose: AWSManagedRulesAnonymousIpList, which blocks VPNs, Tor and hosting providers: customer staff sign in
 * through company and private VPNs, and the practice systems that call the ingest API run in data centres.
 */
export const MANAGED_RULE_GROUPS = {
  /** Addresses Amazon's threat intelligence saw attacking or scanning (25 WCU). */
  ipReputation: 'AWSManagedRulesAmazonIpReputationList',
  /** Request patterns of known exploits: Log4Shell, Java deserialisation, localhost Host headers … (200 WCU). */
  knownBadInputs: 'AWSManagedRulesKnownBadInputsRuleSet',
  /** OWASP-style checks: XSS, path traversal, SSRF to the metadata service, oversized parts … (700 WCU). */
  common: 'AWSManagedRulesCommonRuleSet',
} as const;

/** The common rule set's body-size rule, and the label it puts on a request it matches, even when only counting. */
export const BODY_SIZE_RULE = {
  name: 'SizeRestrictions_BODY',
  label: 'awswaf:managed:aws:core-rule-set:SizeRestrictions_Body',
} as const;

/** Our rule that blocks what SizeRestrictions_BODY found, except on {@link LARGE_BODY_PATHS}. */
export const LARGE_BODY_RULE_NAME = 'LargeBodyOutsideUploadPaths';

export const rateLimitRuleName = (group: keyof WafRateLimits) => `RateLimit-${group}`;

/**
 * What a blocked client reads: the API's own error shape (functions/http/error-handler.ts), so the frontend shows
 * its "too many attempts" text on a 429 from WAF as it does on one from the app.
 */
export const BLOCK_RESPONSES = {
  TooManyRequests: {
    status: 429,
    headers: { 'Retry-After': String(RATE_WINDOW_SECONDS) },
    body: {
      error: {
        code: 'too_many_requests',
        message: 'Too many requests from your network address. Wait a few minutes and try again.',
        details: { retryAfterSeconds: RATE_WINDOW_SECONDS },
      },
    },
  },
  PayloadTooLarge: {
    status: 413,
    headers: {},
    body: { error: { code: 'payload_too_large', message: 'The request body is too large.' } },
  },
} as const;

/**
 * Request parts WAF must never keep in clear: the session cookies and the ingest API keys (`Authorization: Bearer`).
 * Set on the web ACL rather than only on the logging configuration, so that it covers the sampled requests in the
 * console too (a logging configuration's redacted fields do not).
 */
export const PROTECTED_HEADERS = ['authorization', 'cookie'] as const;

export interface PortalWebAclProps {
  /** The web ACL's name, also its CloudWatch metric name and the suffix of its log group. */
  readonly name: string;
  readonly rateLimits: WafRateLimits;
  readonly logRetention: RetentionDays;
  readonly logRemovalPolicy: RemovalPolicy;
}

/**
 * The CloudFront distribution's web ACL: Amazon's IP reputation list, per-address rate limits on sign-in, BankID and
 * ingest paths, AWS's known-bad-inputs and common rule sets, and the common rule set's body-size rule relaxed for
 * the few paths that take large bodies. Every rule publishes CloudWatch metrics and keeps sampled requests.
 * Requests WAF blocks or counts are logged to `aws-waf-logs-<name>` (allowed ones are not: they would only copy the
 * CloudFront logs, with personal data). Must be created in us-east-1 (CLOUDFRONT scope).
 */
export class PortalWebAcl extends Construct {
  readonly webAcl: CfnWebACL;
  readonly logGroup: LogGroup;

  constructor(scope: Construct, id: string, props: PortalWebAclProps) {
    super(scope, id);

    const rules: Omit<CfnWebACL.RuleProperty, 'priority'>[] = [
      managedRuleGroup('AmazonIpReputationList', MANAGED_RULE_GROUPS.ipReputation),
      ...Object.entries(RATE_LIMITED_PATHS).map(([group, paths]) =>
        rateLimitRule(group as keyof WafRateLimits, paths, props.rateLimits),
      ),
      managedRuleGroup('KnownBadInputs', MANAGED_RULE_GROUPS.knownBadInputs),
      // SizeRestrictions_BODY only counts (and labels) here; the next rule blocks on its label everywhere but the
      // upload paths. Scoping the whole rule group down instead would drop its XSS, traversal and SSRF checks on
      // those paths too; a second copy of the group scoped to them would cost another 700 WCU, past the 1,500 that
      // the base price covers.
      managedRuleGroup('CommonRuleSet', MANAGED_RULE_GROUPS.common, [
        { name: BODY_SIZE_RULE.name, actionToUse: { count: {} } },
      ]),
      {
        name: LARGE_BODY_RULE_NAME,
        action: { block: { customResponse: customResponse('PayloadTooLarge') } },
        statement: {
          andStatement: {
            statements: [
              { labelMatchStatement: { scope: 'LABEL', key: BODY_SIZE_RULE.label } },
              { notStatement: { statement: anyPathOf(LARGE_BODY_PATHS) } },
            ],
          },
        },
        visibilityConfig: visibility(LARGE_BODY_RULE_NAME),
      },
    ];

    this.webAcl = new CfnWebACL(this, 'WebAcl', {
      name: props.name,
      scope: 'CLOUDFRONT',
      description: 'Foretagsportal: IP reputation, rate limits on sign-in, BankID and ingest, AWS managed rule sets',
      defaultAction: { allow: {} },
      rules: rules.map((rule, priority) => ({ ...rule, priority })),
      customResponseBodies: Object.fromEntries(
        Object.entries(BLOCK_RESPONSES).map(([key, { body }]) => [
          key,
          { contentType: 'APPLICATION_JSON', content: JSON.stringify(body) },
        ]),
      ),
      dataProtectionConfig: {
        dataProtections: [
          { field: { fieldType: 'SINGLE_HEADER', fieldKeys: [...PROTECTED_HEADERS] }, action: 'SUBSTITUTION' },
          // Cookies WAF parsed out of the cookie header, as they appear in rule match details.
          { field: { fieldType: 'SINGLE_COOKIE' }, action: 'SUBSTITUTION' },
        ],
      },
      visibilityConfig: visibility(props.name),
    });

    // WAF delivers only to log groups named aws-waf-logs-…, in the web ACL's region.
    this.logGroup = new LogGroup(this, 'Logs', {
      logGroupName: `aws-waf-logs-${props.name}`,
      retention: props.logRetention,
      removalPolicy: props.logRemovalPolicy,
    });
    new CfnLoggingConfiguration(this, 'Logging', {
      resourceArn: this.webAcl.attrArn,
      // The log group's ARN without the `:*` that its GetAtt Arn ends in, which WAF refuses.
      logDestinationConfigs: [
        Stack.of(this).formatArn({
          service: 'logs',
          resource: 'log-group',
          resourceName: this.logGroup.logGroupName,
          arnFormat: ArnFormat.COLON_RESOURCE_NAME,
        }),
      ],
      loggingFilter: {
        DefaultBehavior: 'DROP',
        Filters: [
          {
            Behavior: 'KEEP',
            Requirement: 'MEETS_ANY',
            // EXCLUDED_AS_COUNT: a managed rule overridden to count, i.e. a large body on an upload path.
            Conditions: ['BLOCK', 'COUNT', 'EXCLUDED_AS_COUNT'].map((action) => ({
              ActionCondition: { Action: action },
            })),
          },
        ],
      },
    });
  }
}

function visibility(metricName: string): CfnWebACL.VisibilityConfigProperty {
  return { cloudWatchMetricsEnabled: true, sampledRequestsEnabled: true, metricName };
}

function customResponse(key: keyof typeof BLOCK_RESPONSES): CfnWebACL.CustomResponseProperty {
  const { status, headers } = BLOCK_RESPONSES[key];
  const responseHeaders = Object.entries(headers).map(([name, value]) => ({ name, value }));
  return {
    responseCode: status,
    customResponseBodyKey: key,
    ...(responseHeaders.length > 0 ? { responseHeaders } : {}),
  };
}

function managedRuleGroup(
  ruleName: string,
  groupName: string,
  ruleActionOverrides?: CfnWebACL.RuleActionOverrideProperty[],
): Omit<CfnWebACL.RuleProperty, 'priority'> {
  return {
    name: ruleName,
    overrideAction: { none: {} },
    statement: {
      managedRuleGroupStatement: {
        vendorName: 'AWS',
        name: groupName,
        ...(ruleActionOverrides ? { ruleActionOverrides } : {}),
      },
    },
    visibilityConfig: visibility(ruleName),
  };
}

function rateLimitRule(
  group: keyof WafRateLimits,
  paths: readonly PathPattern[],
  rateLimits: WafRateLimits,
): Omit<CfnWebACL.RuleProperty, 'priority'> {
  const limit = rateLimits[group];
  if (!Number.isInteger(limit) || limit < MIN_RATE_LIMIT) {
    throw new Error(`webAcl.rateLimits.${group} must be a whole number of at least ${MIN_RATE_LIMIT}, not ${limit}`);
  }
  const name = rateLimitRuleName(group);
  return {
    name,
    action: { block: { customResponse: customResponse('TooManyRequests') } },
    statement: {
      rateBasedStatement: {
        aggregateKeyType: 'IP',
        evaluationWindowSec: RATE_WINDOW_SECONDS,
        limit,
        scopeDownStatement: anyPathOf(paths),
      },
    },
    visibilityConfig: visibility(name),
  };
}

function anyPathOf(paths: readonly PathPattern[]): CfnWebACL.StatementProperty {
  const statements: CfnWebACL.StatementProperty[] = paths.map((regexString) => ({
    regexMatchStatement: {
      regexString,
      fieldToMatch: { uriPath: {} },
      textTransformations: PATH_TRANSFORMATIONS.map((transformation) => ({ ...transformation })),
    },
  }));
  const [only, ...others] = statements;
  if (!only) throw new Error('A path condition needs at least one path');
  // WAF wants at least two statements in an OR.
  return others.length === 0 ? only : { orStatement: { statements } };
}
