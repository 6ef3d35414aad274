import { AssumeRoleCommand, type STSClient } from '@aws-sdk/client-sts';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@smithy/types';
import { isUuid } from '../domain/ids';
import type { Clock } from '../domain/ports';

/** The session tag the tenant role's policy reads (`${aws:PrincipalTag/tenant}`, lib/stacks/data-stack.ts). */
export const TENANT_SESSION_TAG = 'tenant';

/**
 * Renewed this long before they expire: the SDK itself refreshes credentials expiring within five minutes, so a
 * margin larger than that means a client never holds credentials it would refuse to use.
 */
export const TENANT_CREDENTIALS_RENEW_MS = 10 * 60_000;

/** One hour, the role's default maximum session: one AssumeRole per tenant and container per hour. */
export const TENANT_SESSION_SECONDS = 3600;

export interface TenantCredentialsOptions {
  readonly sts: STSClient;
  /** The tenant role (TENANT_DATA_ROLE_ARN). */
  readonly roleArn: string;
  readonly clock: Clock;
}

/**
 * Credentials confined to one tenant: STS AssumeRole of the tenant role with the session tag `tenant=<tenantId>`.
 * The role's policy admits only that tenant's partitions and objects, so whatever the code asks for with them, AWS
 * answers for this tenant alone. The provider holds one session and renews it shortly before it expires; a failed
 * AssumeRole is not remembered, so the next request tries again.
 */
export function tenantCredentials(options: TenantCredentialsOptions, tenantId: string): AwsCredentialIdentityProvider {
  // The tag becomes part of IAM resource patterns: anything but one of our UUIDs (no `*`, no `/`) is refused.
  if (!isUuid(tenantId)) throw new Error('Tenant-scoped credentials need a tenant id that is a UUID.');
  let current: Promise<AwsCredentialIdentity> | undefined;
  let renewAt = 0;
  const assume = async (): Promise<AwsCredentialIdentity> => {
    const { Credentials: credentials } = await options.sts.send(
      new AssumeRoleCommand({
        RoleArn: options.roleArn,
        RoleSessionName: `tenant-${tenantId}`,
        DurationSeconds: TENANT_SESSION_SECONDS,
        Tags: [{ Key: TENANT_SESSION_TAG, Value: tenantId }],
      }),
    );
    if (!credentials?.AccessKeyId || !credentials.SecretAccessKey || !credentials.SessionToken) {
      throw new Error('STS AssumeRole of the tenant role returned no credentials.');
    }
    return {
      accessKeyId: credentials.AccessKeyId,
      secretAccessKey: credentials.SecretAccessKey,
      sessionToken: credentials.SessionToken,
      expiration: credentials.Expiration ?? new Date(options.clock.now().getTime() + TENANT_SESSION_SECONDS * 1000),
    };
  };
  return () => {
    if (!current || options.clock.now().getTime() >= renewAt) {
      // Concurrent requests share the one AssumeRole in flight.
      renewAt = Number.POSITIVE_INFINITY;
      const attempt = assume();
      current = attempt;
      attempt.then(
        (credentials) => {
          if (current === attempt) renewAt = (credentials.expiration?.getTime() ?? 0) - TENANT_CREDENTIALS_RENEW_MS;
        },
        () => {
          if (current !== attempt) return;
          current = undefined;
          renewAt = 0;
        },
      );
    }
    return current;
  };
}
