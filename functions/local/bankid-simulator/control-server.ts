import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { readBody, sendJson } from './http-server';
import { BankIdSimulatorError, type BankIdStateMachine, type SimulatedOrder } from './state-machine';
import { findTestIdentity, TEST_IDENTITIES } from './test-identities';

/**
 * The simulator's control surface for the developer's page, over plain HTTP on loopback only (a browser has no RP
 * client certificate, so it cannot live on the mTLS server):
 *
 *   GET  /simulator/identities                    the test identities to approve as
 *   GET  /simulator/orders                        pending orders, without tokens, secrets or personal numbers
 *   POST /simulator/orders/{orderRef}/approve     {personalNumber}: the user starts (if needed) and approves
 *   POST /simulator/orders/{orderRef}/cancel      the user cancels in the app
 *
 * Only Host 127.0.0.1 / localhost is served (no DNS rebinding), and POSTs need Content-Type application/json,
 * which a cross-site form cannot send without a CORS preflight that this server never grants.
 */
export const CONTROL_BASE_PATH = '/simulator/';

/** An order as the dev page may see it. */
export interface PublicOrderView {
  readonly orderRef: string;
  readonly kind: string;
  readonly status: string;
  readonly hintCode?: string;
  readonly createdAt: string;
  readonly startedAt?: string;
  readonly endUserIp?: string;
  /** userVisibleData decoded, to show what the user is asked to sign. */
  readonly userVisibleText?: string;
  /** The order's returnUrl (same-device orders), which the app opens when the user is done. */
  readonly returnUrl?: string;
}

export function createControlServer(machine: BankIdStateMachine, port: () => number): Server {
  return createServer((request, response) => {
    handleControlRequest(machine, port(), request, response).catch(() => {
      if (!response.headersSent) sendJson(response, 500, { error: 'The simulator failed.' });
      else response.destroy();
    });
  });
}

async function handleControlRequest(
  machine: BankIdStateMachine,
  port: number,
  request: IncomingMessage,
  response: ServerResponse,
): Promise<void> {
  const host = request.headers.host;
  if (host !== `127.0.0.1:${port}` && host !== `localhost:${port}`) {
    request.resume();
    return sendJson(response, 421, { error: 'Use http://127.0.0.1 or http://localhost.' });
  }
  const segments = new URL(request.url ?? '/', `http://${host}`).pathname.split('/').filter(Boolean);
  if (segments[0] !== 'simulator') return notFound(request, response);
  const [, resource, orderRef, action, ...rest] = segments;
  if (request.method === 'GET' && resource === 'identities' && orderRef === undefined) {
    return sendJson(response, 200, TEST_IDENTITIES);
  }
  if (request.method === 'GET' && resource === 'orders' && orderRef === undefined) {
    const pending = machine.list().filter((order) => order.status === 'pending');
    return sendJson(response, 200, pending.map(publicView));
  }
  if (resource !== 'orders' || orderRef === undefined || rest.length > 0) return notFound(request, response);
  if (action !== 'approve' && action !== 'cancel') return notFound(request, response);
  if (request.method !== 'POST') {
    request.resume();
    response.setHeader('Allow', 'POST');
    return sendJson(response, 405, { error: 'Only POST.' });
  }
  if (!request.headers['content-type']?.startsWith('application/json')) {
    request.resume();
    return sendJson(response, 415, { error: 'Content-Type must be application/json.' });
  }
  const text = (await readBody(request)) ?? '';
  if (!machine.get(orderRef)) return sendJson(response, 404, { error: 'No such order.' });
  try {
    if (action === 'cancel') return sendJson(response, 200, publicView(machine.userCancel(orderRef)));
    const personalNumber = parsePersonalNumber(text);
    const identity = personalNumber === undefined ? undefined : findTestIdentity(personalNumber);
    if (!identity) return sendJson(response, 400, { error: 'personalNumber must be one of /simulator/identities.' });
    const order = machine.get(orderRef);
    if (order?.status === 'pending' && !order.startedAt) machine.start(orderRef, identity);
    return sendJson(response, 200, publicView(machine.approve(orderRef, identity)));
  } catch (error) {
    if (error instanceof BankIdSimulatorError) return sendJson(response, 409, { error: error.message });
    throw error;
  }
}

function notFound(request: IncomingMessage, response: ServerResponse): void {
  request.resume();
  sendJson(response, 404, { error: 'Not found.' });
}

function parsePersonalNumber(text: string): string | undefined {
  try {
    const body: unknown = JSON.parse(text);
    if (typeof body !== 'object' || body === null) return undefined;
    const { personalNumber } = body as { personalNumber?: unknown };
    return typeof personalNumber === 'string' ? personalNumber : undefined;
  } catch {
    return undefined;
  }
}

export function publicView(order: SimulatedOrder): PublicOrderView {
  return {
    orderRef: order.orderRef,
    kind: order.kind,
    status: order.status,
    ...(order.hintCode === undefined ? {} : { hintCode: order.hintCode }),
    createdAt: order.createdAt.toISOString(),
    ...(order.startedAt ? { startedAt: order.startedAt.toISOString() } : {}),
    ...(order.endUserIp === undefined ? {} : { endUserIp: order.endUserIp }),
    // What the app opens when the user is done (a login on the same device): the dev page goes there after approval.
    ...(order.returnUrl === undefined ? {} : { returnUrl: order.returnUrl }),
    ...(order.userVisibleData === undefined
      ? {}
      : { userVisibleText: Buffer.from(order.userVisibleData, 'base64').toString('utf8') }),
  };
}
