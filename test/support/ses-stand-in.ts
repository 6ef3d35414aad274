import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One SendEmail call as SES v2's HTTP API receives it (the parts the tests read). */
export interface SesRequest {
  readonly path: string;
  readonly body: {
    readonly Destination: { readonly ToAddresses: readonly string[] };
    readonly Content: { readonly Simple: { readonly Subject: { readonly Data: string } } };
  };
}

export interface SesStandIn {
  /** For AWS_ENDPOINT_URL_SESV2: the SDK's SES client sends here instead of to AWS. */
  readonly endpoint: string;
  /** Every request received, in order. */
  readonly requests: SesRequest[];
  close(): Promise<void>;
}

/**
 * A stand-in for SES v2's HTTP API on loopback (there is no SES emulator): it records each SendEmail request and
 * answers with a message id, as SES does. Used where the real AWS wiring (functions/runtime/aws-mail.ts) sends mail.
 */
export async function startSesStandIn(): Promise<SesStandIn> {
  const requests: SesRequest[] = [];
  const server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => {
      body += chunk.toString();
    });
    request.on('end', () => {
      requests.push({ path: request.url ?? '', body: JSON.parse(body) as SesRequest['body'] });
      response.setHeader('Content-Type', 'application/json');
      response.end(JSON.stringify({ MessageId: `message-${requests.length}` }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
