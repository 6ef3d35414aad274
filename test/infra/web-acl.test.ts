import { Stack } from 'aws-cdk-lib';
import type { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { LOGIN_THROTTLING } from '../../functions/domain/login-throttling';
import type { AppDeps } from '../../functions/http/app-types';
import { createApp } from '../../functions/http/create-app';
import { errorBody } from '../../functions/http/error-handler';
import { createIngestApp } from '../../functions/http/ingest/create-ingest-app';
import type { IngestAppDeps } from '../../functions/http/ingest/ingest-env';
import { BANKID_POLL_MS } from '../../functions/use-cases/bankid-login';
import { configFor, STAGES, type WafRateLimits } from '../../lib/config';
import {
  BLOCK_RESPONSES,
  BODY_SIZE_RULE,
  LARGE_BODY_PATHS,
  LARGE_BODY_RULE_NAME,
  MANAGED_RULE_GROUPS,
  PROTECTED_HEADERS,
  RATE_LIMITED_PATHS,
  RATE_WINDOW_SECONDS,
  rateLimitRuleName,
} from '../../lib/constructs/portal-web-acl';
import { DYNAMIC_LABEL_RULE_NAME } from '../../lib/stacks/observability-stack';
import { buildPortalApp, type PortalApp, SYNTH_TIMEOUT_MS, templatesOf } from './support/portal-app';
import { propertiesOf } from './support/template-queries';

interface RegexMatch {
  RegexString: string;
  FieldToMatch: unknown;
  TextTransformations: { Priority: number; Type: string }[];
}
interface Statement {
  RegexMatchStatement?: RegexMatch;
  OrStatement?: { Statements: Statement[] };
  AndStatement?: { Statements: Statement[] };
  NotStatement?: { Statement: Statement };
  LabelMatchStatement?: { Scope: string; Key: string };
  RateBasedStatement?: {
    AggregateKeyType: string;
    EvaluationWindowSec: number;
    Limit: number;
    ScopeDownStatement: Statement;
  };
  ManagedRuleGroupStatement?: {
    VendorName: string;
    Name: string;
    RuleActionOverrides?: { Name: string; ActionToUse: Record<string, unknown> }[];
  };
}
interface CustomResponse {
  ResponseCode: number;
  CustomResponseBodyKey: string;
  ResponseHeaders?: { Name: string; Value: string }[];
}
interface Rule {
  Name: string;
  Priority: number;
  Action?: { Block?: { CustomResponse?: CustomResponse } };
  OverrideAction?: Record<string, unknown>;
  Statement: Statement;
  VisibilityConfig: { CloudWatchMetricsEnabled: boolean; SampledRequestsEnabled: boolean; MetricName: string };
}

const webAclOf = (template: Template) => propertiesOf(template, 'AWS::WAFv2::WebACL', 'WebAcl');

function rulesOf(template: Template): Rule[] {
  return webAclOf(template).Rules as Rule[];
}

function ruleNamed(template: Template, name: string): Rule {
  const rule = rulesOf(template).find((candidate) => candidate.Name === name);
  if (!rule) throw new Error(`No rule ${name} in the web ACL`);
  return rule;
}

/** Every path regex in a statement, however deep in ORs, ANDs, NOTs and rate-based scope-downs. */
function pathsOf(statement: Statement | undefined): RegexMatch[] {
  if (!statement) return [];
  if (statement.RegexMatchStatement) return [statement.RegexMatchStatement];
  return [
    ...(statement.OrStatement?.Statements ?? []),
    ...(statement.AndStatement?.Statements ?? []),
    statement.NotStatement?.Statement,
    statement.RateBasedStatement?.ScopeDownStatement,
  ].flatMap(pathsOf);
}

function distributionWebAcl(template: Template): unknown {
  const [distribution] = Object.values(template.findResources('AWS::CloudFront::Distribution'));
  return distribution?.Properties.DistributionConfig.WebACLId;
}

/**
 * Every route of the portal API and the ingest API, as `METHOD /path` with each path parameter filled in, so that
 * the web ACL's path patterns can be tried on what the apps really serve. Building the apps registers routes only;
 * no dependency is used until a request comes.
 */
function servedRoutes(): { route: string; samplePath: string }[] {
  const routes = [...createApp({} as AppDeps).routes, ...createIngestApp({} as IngestAppDeps).routes];
  const unique = new Map<string, string>();
  for (const { method, path } of routes) {
    if (method === 'ALL') continue; // middleware
    unique.set(`${method} ${path}`, path.replace(/:[^/]+/g, '0b7c1d5e-3f64-4a1b-9d2e-6f3a8c9b1e42'));
  }
  return [...unique].map(([route, samplePath]) => ({ route, samplePath }));
}

/** The served routes whose path one of `patterns` matches (WAF's PCRE and JavaScript agree on these patterns). */
function routesMatching(patterns: readonly string[]): string[] {
  return servedRoutes()
    .filter(({ samplePath }) => patterns.some((pattern) => new RegExp(pattern).test(samplePath)))
    .map(({ route }) => route)
    .sort();
}

const OWN_WEB_ACL_ARN =
  'arn:aws:wafv2:us-east-1:123456789012:global/webacl/portal/11111111-2222-3333-4444-555555555555';

describe('the WAF web ACL in front of CloudFront', () => {
  let portal: PortalApp;
  let edge: Template;
  let web: Template;
  beforeAll(() => {
    portal = buildPortalApp('dev');
    const templates = templatesOf(portal);
    if (!templates.edgeSecurity) throw new Error('The dev stage has no edge-security stack');
    edge = templates.edgeSecurity;
    web = templates.web;
  }, SYNTH_TIMEOUT_MS);

  it('is a CloudFront-scoped web ACL in a us-east-1 stack of its own, letting through what no rule blocks', () => {
    // Act
    const webAcl = webAclOf(edge);

    // Assert
    expect(portal.stacks.edgeSecurity?.stackName).toBe('Portal-dev-EdgeSecurity');
    expect(portal.stacks.edgeSecurity?.region).toBe('us-east-1');
    expect(portal.stacks.web.region).toBe('eu-north-1');
    expect(webAcl).toMatchObject({ Scope: 'CLOUDFRONT', Name: 'Portal-dev-WebAcl', DefaultAction: { Allow: {} } });
  });

  it('is attached to the distribution through a cross-region read of the edge-security stack', () => {
    // Arrange
    const edgeStack = portal.stacks.edgeSecurity as Stack;
    const webAclLogicalId = Object.keys(edge.findResources('AWS::WAFv2::WebACL'))[0];

    // Act
    const reference = distributionWebAcl(web) as {
      'Fn::GetStackOutput': { StackName: string; Region: string; OutputName: string };
    };

    // Assert: the output read is the web ACL's ARN
    const { StackName, Region, OutputName } = reference['Fn::GetStackOutput'];
    expect({ StackName, Region }).toEqual({ StackName: edgeStack.stackName, Region: 'us-east-1' });
    expect(edge.toJSON().Outputs[OutputName].Value).toEqual({ 'Fn::GetAtt': [webAclLogicalId, 'Arn'] });
    expect(portal.stacks.web.dependencies).toContain(edgeStack);
  });

  it("runs Amazon's IP reputation list first, then the rate limits, then the known-bad-inputs and common rule sets", () => {
    // Act
    const rules = rulesOf(edge).sort((a, b) => a.Priority - b.Priority);
    const managed = rules.filter((rule) => rule.Statement.ManagedRuleGroupStatement);

    // Assert
    expect(rules.map((rule) => rule.Name)).toEqual([
      'AmazonIpReputationList',
      'RateLimit-passwordSignIn',
      'RateLimit-bankIdStart',
      'RateLimit-bankIdPolling',
      'RateLimit-ingest',
      'KnownBadInputs',
      'CommonRuleSet',
      LARGE_BODY_RULE_NAME,
    ]);
    expect(managed.map((rule) => rule.Statement.ManagedRuleGroupStatement?.Name)).toEqual([
      'AWSManagedRulesAmazonIpReputationList',
      'AWSManagedRulesKnownBadInputsRuleSet',
      'AWSManagedRulesCommonRuleSet',
    ]);
    for (const rule of managed) {
      expect(rule.Statement.ManagedRuleGroupStatement?.VendorName).toBe('AWS');
      // None: the group's own actions (block) apply.
      expect(rule.OverrideAction).toEqual({ None: {} });
    }
    expect(Object.values(MANAGED_RULE_GROUPS)).not.toContain('AWSManagedRulesAnonymousIpList');
  });

  it('relaxes only the common rule set’s 8 KB body limit, and only on the logo, archive and ingest paths', () => {
    // Arrange
    const common = ruleNamed(edge, 'CommonRuleSet');
    const largeBodies = ruleNamed(edge, LARGE_BODY_RULE_NAME);
    const [labelled, exempted] = largeBodies.Statement.AndStatement?.Statements ?? [];

    // Act
    const exemptedRoutes = routesMatching(pathsOf(exempted?.NotStatement?.Statement).map((m) => m.RegexString));

    // Assert: the rule set only counts (and labels) oversized bodies …
    expect(common.Statement.ManagedRuleGroupStatement?.RuleActionOverrides).toEqual([
      { Name: 'SizeRestrictions_BODY', ActionToUse: { Count: {} } },
    ]);
    // … and the next rule blocks what it labelled, anywhere but on the paths whose bodies the app bounds itself.
    expect(largeBodies.Priority).toBeGreaterThan(common.Priority);
    expect(labelled?.LabelMatchStatement).toEqual({ Scope: 'LABEL', Key: BODY_SIZE_RULE.label });
    expect(BODY_SIZE_RULE.label).toBe('awswaf:managed:aws:core-rule-set:SizeRestrictions_Body');
    expect(largeBodies.Action?.Block?.CustomResponse).toMatchObject({
      ResponseCode: 413,
      CustomResponseBodyKey: 'PayloadTooLarge',
    });
    expect(exemptedRoutes).toEqual(
      [
        'PUT /api/admin/settings/logo',
        'DELETE /api/admin/settings/logo',
        'POST /api/customers/:customerId/document-archives',
        'GET /ingest/v1/docs',
        'GET /ingest/v1/openapi.json',
        'PUT /ingest/v1/customers',
        'POST /ingest/v1/invoice-bases',
        'POST /ingest/v1/pdf-documents',
        'POST /ingest/v1/documents/:documentId/upload-complete',
        'GET /ingest/v1/documents/:documentId',
        'POST /ingest/v1/documents/:documentId/withdrawal',
      ].sort(),
    );
    expect(routesMatching(LARGE_BODY_PATHS)).toEqual(exemptedRoutes);
  });

  const RATE_LIMITED_ROUTES: Record<keyof WafRateLimits, string[]> = {
    passwordSignIn: [
      'POST /api/auth/login',
      'POST /api/auth/password-reset',
      'POST /api/admin/auth/login',
      'POST /api/admin/auth/verify',
      'POST /api/admin/auth/enrol',
    ],
    bankIdStart: ['POST /api/auth/bankid'],
    bankIdPolling: ['POST /api/auth/bankid/:loginId/collect', 'POST /api/auth/bankid/:loginId/cancel'],
    ingest: servedRoutes()
      .filter(({ route }) => route.includes(' /ingest/'))
      .map(({ route }) => route),
  };

  it.each(Object.keys(RATE_LIMITED_ROUTES) as (keyof WafRateLimits)[])(
    'limits %s per client address over 5 minutes, to the configured limit, on exactly its routes',
    (group) => {
      // Arrange
      const rule = ruleNamed(edge, rateLimitRuleName(group));
      const rateBased = rule.Statement.RateBasedStatement;

      // Act
      const scope = pathsOf(rule.Statement);

      // Assert
      expect(rateBased).toMatchObject({
        AggregateKeyType: 'IP',
        EvaluationWindowSec: 300,
        Limit: configFor('dev').webAcl.rateLimits[group],
      });
      expect(scope.map((match) => match.RegexString)).toEqual(RATE_LIMITED_PATHS[group]);
      expect(routesMatching(RATE_LIMITED_PATHS[group])).toEqual([...RATE_LIMITED_ROUTES[group]].sort());
      expect(rule.Action?.Block?.CustomResponse).toEqual({
        ResponseCode: 429,
        CustomResponseBodyKey: 'TooManyRequests',
        ResponseHeaders: [{ Name: 'Retry-After', Value: '300' }],
      });
    },
  );

  it('matches paths after URL-decoding and normalising them, as the app routes them', () => {
    // Act
    const matches = rulesOf(edge).flatMap((rule) => pathsOf(rule.Statement));

    // Assert
    expect(matches).toHaveLength(Object.values(RATE_LIMITED_PATHS).flat().length + LARGE_BODY_PATHS.length);
    for (const match of matches) {
      expect(match.FieldToMatch).toEqual({ UriPath: {} });
      expect(match.TextTransformations).toEqual([
        { Priority: 0, Type: 'URL_DECODE' },
        { Priority: 1, Type: 'NORMALIZE_PATH' },
      ]);
    }
  });

  it('takes each rate limit from the stage config', () => {
    // Arrange
    const rateLimits = { passwordSignIn: 41, bankIdStart: 42, bankIdPolling: 43, ingest: 44 };

    // Act
    const { edgeSecurity } = templatesOf(buildPortalApp('prod', { webAcl: { rateLimits } }));

    // Assert
    if (!edgeSecurity) throw new Error('No edge-security stack');
    for (const [group, limit] of Object.entries(rateLimits)) {
      expect(
        ruleNamed(edgeSecurity, rateLimitRuleName(group as keyof WafRateLimits)).Statement.RateBasedStatement?.Limit,
      ).toBe(limit);
    }
  });

  it('refuses a rate limit below the 10 that WAF accepts, at synth rather than at deploy', () => {
    // Arrange
    const rateLimits = { ...configFor('dev').webAcl.rateLimits, bankIdStart: 9 };

    // Act / Assert
    expect(() => buildPortalApp('dev', { webAcl: { rateLimits } })).toThrow(
      /webAcl\.rateLimits\.bankIdStart must be a whole number of at least 10/,
    );
  });

  it.each(STAGES)(
    'in %s, never blocks sooner than the app would, and lets a BankID login poll all window long',
    (stage) => {
      // Arrange
      const { rateLimits } = configFor(stage).webAcl;
      const inWindow = ({ limit, windowSeconds }: { limit: number; windowSeconds: number }) =>
        Math.ceil((limit * RATE_WINDOW_SECONDS) / windowSeconds);

      // Act
      const pollsPerLogin = RATE_WINDOW_SECONDS / (BANKID_POLL_MS / 1000);

      // Assert: the app's per-address limits answer first, with their own Retry-After
      expect(rateLimits.bankIdStart).toBeGreaterThan(inWindow(LOGIN_THROTTLING.ip.bankid_start));
      expect(rateLimits.passwordSignIn).toBeGreaterThan(LOGIN_THROTTLING.ip.password_failure.limit);
      expect(rateLimits.passwordSignIn).toBeGreaterThan(LOGIN_THROTTLING.ip.password_reset.limit);
      // … and ten logins behind one address can poll collect every 2 s for the whole window.
      expect(pollsPerLogin).toBe(150);
      expect(rateLimits.bankIdPolling).toBeGreaterThanOrEqual(10 * pollsPerLogin);
    },
  );

  it('answers blocked requests in the API’s own error shape, 429 with Retry-After and 413', () => {
    // Act
    const bodies = webAclOf(edge).CustomResponseBodies as Record<string, { ContentType: string; Content: string }>;

    // Assert
    expect(Object.keys(bodies).sort()).toEqual(['PayloadTooLarge', 'TooManyRequests']);
    for (const { ContentType } of Object.values(bodies)) expect(ContentType).toBe('APPLICATION_JSON');
    expect(JSON.parse(bodies.TooManyRequests?.Content ?? '')).toEqual(
      errorBody('too_many_requests', BLOCK_RESPONSES.TooManyRequests.body.error.message, {
        retryAfterSeconds: RATE_WINDOW_SECONDS,
      }),
    );
    expect(JSON.parse(bodies.PayloadTooLarge?.Content ?? '')).toEqual(
      errorBody('payload_too_large', BLOCK_RESPONSES.PayloadTooLarge.body.error.message),
    );
  });

  it('publishes CloudWatch metrics and keeps sampled requests for every rule and the web ACL, each under its own name', () => {
    // Act
    const webAcl = webAclOf(edge);
    const rules = rulesOf(edge);

    // Assert
    expect(webAcl.VisibilityConfig).toEqual({
      CloudWatchMetricsEnabled: true,
      SampledRequestsEnabled: true,
      MetricName: 'Portal-dev-WebAcl',
    });
    for (const rule of rules) {
      expect(rule.VisibilityConfig).toEqual({
        CloudWatchMetricsEnabled: true,
        SampledRequestsEnabled: true,
        MetricName: rule.Name,
      });
    }
    expect(new Set(rules.map((rule) => rule.VisibilityConfig.MetricName)).size).toBe(rules.length);
  });

  it('replaces session cookies and API keys by REDACTED in logs and sampled requests alike', () => {
    // Act
    const { DataProtections } = webAclOf(edge).DataProtectionConfig;

    // Assert
    expect(PROTECTED_HEADERS).toEqual(['authorization', 'cookie']);
    expect(DataProtections).toEqual([
      { Field: { FieldType: 'SINGLE_HEADER', FieldKeys: ['authorization', 'cookie'] }, Action: 'SUBSTITUTION' },
      { Field: { FieldType: 'SINGLE_COOKIE' }, Action: 'SUBSTITUTION' },
    ]);
  });

  it.each([
    ['dev', 30, 'Delete'],
    ['prod', 365, 'Retain'],
  ] as const)(
    'in %s, logs only blocked and counted requests, to aws-waf-logs-… kept %i days (%s with the stack)',
    (stage, retentionDays, deletionPolicy) => {
      // Arrange
      const { edgeSecurity } = templatesOf(stage === 'dev' ? portal : buildPortalApp(stage));
      if (!edgeSecurity) throw new Error('No edge-security stack');
      const [logGroupId, logGroup] = Object.entries(edgeSecurity.findResources('AWS::Logs::LogGroup'))[0] ?? [];

      // Act
      const logging = propertiesOf(edgeSecurity, 'AWS::WAFv2::LoggingConfiguration', 'WebAclLogging');

      // Assert
      expect(logGroup?.Properties).toEqual({
        LogGroupName: `aws-waf-logs-${configFor(stage).stackPrefix}-WebAcl`,
        RetentionInDays: retentionDays,
      });
      expect(logGroup?.DeletionPolicy).toBe(deletionPolicy);
      expect(logging.ResourceArn).toEqual({
        'Fn::GetAtt': [Object.keys(edgeSecurity.findResources('AWS::WAFv2::WebACL'))[0], 'Arn'],
      });
      // The log group's ARN, built from its name: WAF refuses its GetAtt Arn, which ends in ':*'.
      expect(logging.LogDestinationConfigs).toEqual([
        {
          'Fn::Join': ['', ['arn:aws:logs:us-east-1:', { Ref: 'AWS::AccountId' }, ':log-group:', { Ref: logGroupId }]],
        },
      ]);
      expect(logging.LoggingFilter).toEqual({
        DefaultBehavior: 'DROP',
        Filters: [
          {
            Behavior: 'KEEP',
            Requirement: 'MEETS_ANY',
            Conditions: [
              { ActionCondition: { Action: 'BLOCK' } },
              { ActionCondition: { Action: 'COUNT' } },
              { ActionCondition: { Action: 'EXCLUDED_AS_COUNT' } },
            ],
          },
        ],
      });
    },
  );

  it("shows the web ACL's blocked and counted requests per rule on the stage dashboard, from us-east-1", () => {
    // Arrange
    const { observability } = templatesOf(portal);
    const body = propertiesOf(observability, 'AWS::CloudWatch::Dashboard', 'Dashboard').DashboardBody;

    // Act: the dashboard's JSON without the tokens CloudFormation fills in
    const text = (body['Fn::Join'][1] as unknown[]).filter((part) => typeof part === 'string').join('');

    // Assert
    for (const metric of ['BlockedRequests', 'CountedRequests']) {
      const search = `SEARCH('{AWS/WAFV2,Rule,WebACL} MetricName="${metric}" WebACL="Portal-dev-WebAcl"', 'Sum', 300)`;
      expect(text).toContain(
        JSON.stringify({ label: DYNAMIC_LABEL_RULE_NAME, expression: search, region: 'us-east-1' }),
      );
    }
  });

  describe('with an existing web ACL named in the config (webAclArn)', () => {
    let own: PortalApp;
    beforeAll(() => {
      own = buildPortalApp('prod', { webAclArn: OWN_WEB_ACL_ARN });
    }, SYNTH_TIMEOUT_MS);

    it('creates no edge-security stack and attaches that web ACL', () => {
      // Act
      const templates = templatesOf(own);

      // Assert
      expect(own.stacks.edgeSecurity).toBeUndefined();
      expect(templates.edgeSecurity).toBeUndefined();
      expect(own.app.node.children.filter((child) => child instanceof Stack).map((stack) => stack.node.id)).toEqual([
        'Portal-prod-Data',
        'Portal-prod-Api',
        'Portal-prod-Web',
        'Portal-prod-Observability',
      ]);
      expect(distributionWebAcl(templates.web)).toBe(OWN_WEB_ACL_ARN);
      expect(JSON.stringify(templates.observability.toJSON())).not.toContain('AWS/WAFV2');
    });
  });
});
