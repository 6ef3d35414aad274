import { Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import type { PortalConfig } from '../config';
import { PortalWebAcl } from '../constructs/portal-web-acl';

/** CloudFront takes only web ACLs of scope CLOUDFRONT, and WAF keeps those (and their log groups) in us-east-1. */
export const EDGE_SECURITY_REGION = 'us-east-1';

/** The web ACL's name: its CloudWatch metrics carry it as the `WebACL` dimension. */
export const webAclName = (config: Pick<PortalConfig, 'stackPrefix'>) => `${config.stackPrefix}-WebAcl`;

export interface EdgeSecurityStackProps extends StackProps {
  readonly config: PortalConfig;
}

/**
 * The distribution's WAF web ACL, in a stack of its own because it must live in us-east-1 while the other stacks
 * live in `config.region`. The web stack reads its ARN across regions (see createStacks). Holds no data: its log
 * group follows `config.logRemovalPolicy` like every other log group.
 */
export class EdgeSecurityStack extends Stack {
  readonly webAcl: PortalWebAcl;
  readonly webAclArn: string;

  constructor(scope: Construct, id: string, props: EdgeSecurityStackProps) {
    super(scope, id, props);
    const { config } = props;
    this.webAcl = new PortalWebAcl(this, 'WebAcl', {
      name: webAclName(config),
      rateLimits: config.webAcl.rateLimits,
      logRetention: config.logRetention,
      logRemovalPolicy: config.logRemovalPolicy,
    });
    this.webAclArn = this.webAcl.webAcl.attrArn;
  }
}
