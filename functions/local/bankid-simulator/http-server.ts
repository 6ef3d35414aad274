import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer as createHttpsServer, type Server } from 'node:https';
import { setTimeout as sleep } from 'node:timers/promises';
import type { SimulatorCertificates } from './certificates';
import { type FaultInjector, RP_PATHS, type RpPath } from './faults';
import { answerRpCall, type RpLeniency } from './rp-api';
import type { BankIdStateMachine } from './state-machine';

/**
 * The RP API over HTTPS with mutual TLS, checked in BankID's order: the path (404 notFound), the method (405), the
 * Content-Type (exactly `application/json`, else 415), injected faults, the JSON body (400 invalidParameters), then
 * the call itself. The server only completes a handshake with a client that presents a certificate issued by the
 * simulator's RP CA (`requestCert` + `rejectUnauthorized`).
 */
export const RP_BASE_PATH = '/rp/v6.0/';
const MAX_BODY_BYTES = 1_048_576;

export interface RpServerDependencies {
  readonly machine: BankIdStateMachine;
  readonly faults: FaultInjector;
  readonly certificates: SimulatorCertificates;
  /** Aborted when the simulator stops, to end injected latencies early. */
  readonly stopping: AbortSignal;
  readonly leniency?: RpLeniency;
}

export function createRpServer(dependencies: RpServerDependencies): Server {
  const { certificates } = dependencies;
  return createHttpsServer(
    {
      key: certificates.server.keyPem,
      cert: certificates.server.certificatePem,
      ca: [certificates.rpIssuerCaPem],
      requestCert: true,
      rejectUnauthorized: true,
      minVersion: 'TLSv1.2',
    },
    (request, response) => {
      handleRpRequest(dependencies, request, response).catch((error: unknown) => {
        if (!response.headersSent) {
          sendJson(response, 500, { errorCode: 'internalError', details: 'The simulator failed' });
        } else response.destroy();
        if (!dependencies.stopping.aborted) console.error('BankID simulator:', error);
      });
    },
  );
}

async function handleRpRequest(
  { machine, faults, stopping, leniency }: RpServerDependencies,
  request: IncomingMessage,
  response: ServerResponse,
): Promise<void> {
  const pathname = new URL(request.url ?? '/', 'https://simulator.invalid').pathname;
  const path = pathname.startsWith(RP_BASE_PATH) ? pathname.slice(RP_BASE_PATH.length) : undefined;
  if (path === undefined || !isRpPath(path)) {
    request.resume();
    return sendJson(response, 404, { errorCode: 'notFound', details: 'No such endpoint' });
  }
  if (request.method !== 'POST') {
    request.resume();
    response.setHeader('Allow', 'POST');
    return sendJson(response, 405, { errorCode: 'methodNotAllowed', details: 'Only POST is allowed' });
  }
  // BankID takes exactly `application/json`; even `application/json; charset=UTF-8` is refused with 415.
  if (request.headers['content-type'] !== 'application/json') {
    request.resume();
    return sendJson(response, 415, {
      errorCode: 'unsupportedMediaType',
      details: 'Content-Type must be application/json (without parameters)',
    });
  }
  const fault = faults.take(path);
  if (fault) {
    if (fault.latencyMs > 0) await sleep(fault.latencyMs, undefined, { signal: stopping }).catch(() => undefined);
    if (fault.status !== undefined) {
      request.resume();
      response.writeHead(fault.status, { 'Content-Type': fault.contentType });
      response.end(fault.body);
      return;
    }
  }
  const text = await readBody(request);
  if (text === undefined) {
    return sendJson(response, 400, { errorCode: 'invalidParameters', details: 'Request body too large' });
  }
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return sendJson(response, 400, { errorCode: 'invalidParameters', details: 'Invalid JSON in request body' });
  }
  const answer = answerRpCall(machine, path, body, leniency);
  sendJson(response, answer.status, answer.body);
}

const isRpPath = (path: string): path is RpPath => (RP_PATHS as readonly string[]).includes(path);

/** The body as UTF-8 text, or undefined if it is larger than {@link MAX_BODY_BYTES}. */
export async function readBody(request: IncomingMessage): Promise<string | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  // Read to the end even when it is too large (leaving the loop early would destroy the socket before the answer).
  for await (const chunk of request) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size <= MAX_BODY_BYTES) chunks.push(buffer);
  }
  return size > MAX_BODY_BYTES ? undefined : Buffer.concat(chunks).toString('utf8');
}

export function sendJson(response: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    'Content-Type': 'application/json',
    'Content-Length': Buffer.byteLength(text),
    'Cache-Control': 'no-store',
  });
  response.end(text);
}
