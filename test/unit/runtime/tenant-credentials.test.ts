import type { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { describe, expect, it } from 'vitest';
import {
  TENANT_CREDENTIALS_RENEW_MS,
  TENANT_SESSION_SECONDS,
  tenantCredentials,
} from '../../../functions/runtime/tenant-credentials';
import { TestClock } from '../../support/test-clock';

const TENANT = '0b6c1f2e-4a5d-4c3b-9e8f-7a6b5c4d3e2f';
const ROLE = 'arn:aws:iam::123456789012:role/tenant-data';

/** An STS that records AssumeRole inputs and answers with numbered sessions valid for an hour from `clock`. */
function fakeSts(clock: TestClock, failFirst = false) {
  const inputs: AssumeRoleCommand['input'][] = [];
  const sts = {
    async send(command: AssumeRoleCommand) {
      inputs.push(command.input);
      if (failFirst && inputs.length === 1) throw new Error('throttled');
      return {
        Credentials: {
          AccessKeyId: `key-${inputs.length}`,
          SecretAccessKey: 'secret',
          SessionToken: `token-${inputs.length}`,
          Expiration: new Date(clock.now().getTime() + TENANT_SESSION_SECONDS * 1000),
        },
      };
    },
  };
  return { sts: sts as unknown as STSClient, inputs };
}

describe('tenant-scoped credentials', () => {
  it('assume the tenant role tagged with the tenant, once for concurrent requests, until shortly before expiry', async () => {
    // Arrange
    const clock = new TestClock(Date.parse('2026-03-01T10:00:00Z'));
    const { sts, inputs } = fakeSts(clock);
    const provider = tenantCredentials({ sts, roleArn: ROLE, clock }, TENANT);

    // Act
    const [first, concurrent] = await Promise.all([provider(), provider()]);
    clock.advance(TENANT_SESSION_SECONDS * 1000 - TENANT_CREDENTIALS_RENEW_MS - 1);
    const stillCached = await provider();
    clock.advance(1);
    const renewed = await provider();

    // Assert
    expect(inputs[0]).toEqual({
      RoleArn: ROLE,
      RoleSessionName: `tenant-${TENANT}`,
      DurationSeconds: TENANT_SESSION_SECONDS,
      Tags: [{ Key: 'tenant', Value: TENANT }],
    });
    expect(first.sessionToken).toBe('token-1');
    expect(concurrent).toBe(first);
    expect(stillCached).toBe(first);
    expect(renewed.sessionToken).toBe('token-2');
    expect(inputs).toHaveLength(2);
  });

  it('forget a failed AssumeRole, so the next request tries again', async () => {
    const clock = new TestClock(Date.parse('2026-03-01T10:00:00Z'));
    const { sts } = fakeSts(clock, true);
    const provider = tenantCredentials({ sts, roleArn: ROLE, clock }, TENANT);

    await expect(provider()).rejects.toThrow('throttled');
    await expect(provider()).resolves.toMatchObject({ sessionToken: 'token-2' });
  });

  it('refuse a tenant id that is not a UUID: the tag becomes part of IAM patterns', () => {
    const clock = new TestClock();
    const { sts } = fakeSts(clock);
    for (const tenantId of ['*', '', `${TENANT}/x`, 'ab']) {
      expect(() => tenantCredentials({ sts, roleArn: ROLE, clock }, tenantId)).toThrow(/UUID/u);
    }
  });
});
