import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { S3_EMULATOR_CREDENTIALS } from '../../functions/local/services/s3-emulator';

/** The role ARN the Lambda tests set as TENANT_DATA_ROLE_ARN. */
export const TEST_TENANT_ROLE_ARN = 'arn:aws:iam::000000000000:role/tenant-data';

/** One AssumeRole call as the stand-in received it (the form-encoded Query API parameters). */
export type AssumeRoleRequest = Readonly<Record<string, string>>;

export interface StsStandIn {
  /** For AWS_ENDPOINT_URL_STS. */
  readonly endpoint: string;
  readonly requests: readonly AssumeRoleRequest[];
  close(): Promise<void>;
}

/**
 * There is no STS emulator here: this answers AssumeRole over HTTP the way STS does (Query API, XML), handing out
 * the S3 emulator's fixed account (S3RVER, which signs what the S3 emulator checks; DynamoDB Local, a shared
 * database, takes any), and records every request so a test can check the role and the tenant session tag the
 * wiring asked for. Anything but AssumeRole gets STS's error.
 */
export async function startStsStandIn(): Promise<StsStandIn> {
  const requests: AssumeRoleRequest[] = [];
  const server: Server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => {
      body += chunk.toString();
    });
    request.on('end', () => {
      const parameters = Object.fromEntries(new URLSearchParams(body));
      response.setHeader('Content-Type', 'text/xml');
      if (parameters.Action !== 'AssumeRole') {
        response.statusCode = 400;
        response.end(
          '<ErrorResponse><Error><Type>Sender</Type><Code>InvalidAction</Code><Message>Only AssumeRole</Message></Error></ErrorResponse>',
        );
        return;
      }
      requests.push(parameters);
      const expiration = new Date(Date.now() + 3600_000).toISOString();
      response.end(
        `<AssumeRoleResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><AssumeRoleResult>
<Credentials><AccessKeyId>${S3_EMULATOR_CREDENTIALS.accessKeyId}</AccessKeyId><SecretAccessKey>${S3_EMULATOR_CREDENTIALS.secretAccessKey}</SecretAccessKey>
<SessionToken>session-${requests.length}</SessionToken><Expiration>${expiration}</Expiration></Credentials>
<AssumedRoleUser><Arn>${parameters.RoleArn}/${parameters.RoleSessionName}</Arn><AssumedRoleId>AROA:${parameters.RoleSessionName}</AssumedRoleId></AssumedRoleUser>
</AssumeRoleResult><ResponseMetadata><RequestId>stand-in</RequestId></ResponseMetadata></AssumeRoleResponse>`,
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
