import { Agent, request } from 'node:https';
import { createSecureContext, type SecureContext } from 'node:tls';
import {
  type BankIdAuthRequest,
  type BankIdClient,
  type BankIdCollectResult,
  type BankIdCompletion,
  BankIdError,
  type BankIdOrder,
} from '../../domain/bankid';

export interface BankIdRpClientOptions {
  /** The RP API's base URL, e.g. `https://appapi2.test.bankid.com/rp/v6.0/` (see bankid-environments.ts). */
  readonly baseUrl: string;
  /** The ONLY certificate authority trusted for the server: BankID's root CA (or the local simulator's). PEM. */
  readonly caCertificatePem: string;
  /** The RP certificate and its private key, as a PKCS#12 (.p12/.pfx) file. */
  readonly pkcs12: Uint8Array;
  readonly passphrase: string;
  /** Longest wait for a whole answer, connection included; then BankIdError(408, 'requestTimeout'). */
  readonly timeoutMs?: number;
}

/** A BankIdClient that owns a pool of keep-alive connections; `close()` ends them (tests, shutdown). */
export interface BankIdRpClient extends BankIdClient {
  close(): void;
}

/**
 * The request never got an answer from BankID: the connection or the TLS handshake failed (an untrusted server
 * certificate, a refused RP certificate, a reset). Not a BankIdError, which is an answer BankID gave; `cause`
 * holds Node's error with its `code` (e.g. SELF_SIGNED_CERT_IN_CHAIN).
 */
export class BankIdTransportError extends Error {
  constructor(message: string, options: { cause: unknown }) {
    super(message, options);
    this.name = 'BankIdTransportError';
  }
}

const DEFAULT_TIMEOUT_MS = 10_000;
/** A completed order's signature XML and OCSP response are a few tens of kB; anything far larger is not BankID. */
const MAX_RESPONSE_BYTES = 1024 * 1024;

/**
 * BankID's Relying Party API v6.0 over mutual TLS (../shared/BANKID.md): the RP certificate from PKCS#12 is
 * presented to the server, and the server must present a certificate issued by `caCertificatePem` — that CA
 * replaces Node's built-in list, so no public CA can stand in for BankID, and verification is never switched off.
 *
 * One keep-alive agent per client, created here once: create the client once per Lambda container and reuse it.
 */
export function bankIdRpClient(options: BankIdRpClientOptions): BankIdRpClient {
  const base = parseBaseUrl(options.baseUrl);
  if (!options.caCertificatePem.includes('-----BEGIN CERTIFICATE-----')) {
    throw new Error(
      'BankID RP client: caCertificatePem must hold the PEM of the CA that issues the server certificate',
    );
  }
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  if (!Number.isFinite(timeoutMs) || timeoutMs <= 0) throw new RangeError('BankID RP client: timeoutMs must be > 0');

  // Parsed once, so a wrong passphrase or a broken file fails at start-up rather than on a user's login.
  let secureContext: SecureContext;
  try {
    secureContext = createSecureContext({
      ca: options.caCertificatePem,
      pfx: Buffer.from(options.pkcs12),
      passphrase: options.passphrase,
      minVersion: 'TLSv1.2',
    });
  } catch (error) {
    const reason = 'BankID RP client: cannot read the RP certificate or the CA (wrong passphrase, damaged file)';
    throw new Error(reason, { cause: error });
  }
  const agent = new Agent({ keepAlive: true, secureContext, rejectUnauthorized: true });

  function post(path: string, body: Readonly<Record<string, unknown>>): Promise<unknown> {
    const url = new URL(path, base);
    const payload = Buffer.from(JSON.stringify(body), 'utf8');
    return new Promise((resolve, reject) => {
      let settled = false;
      const settle = (outcome: () => unknown) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        try {
          resolve(outcome());
        } catch (error) {
          reject(error);
        }
      };
      const fail = (error: unknown) =>
        settle(() => {
          if (error instanceof BankIdError) throw error;
          throw new BankIdTransportError(`BankID ${path}: ${describe(error)}`, { cause: error });
        });

      const outgoing = request(
        url,
        {
          method: 'POST',
          agent,
          // Exactly `application/json`: BankID answers 415 to any parameter, a charset included.
          headers: { 'Content-Type': 'application/json', 'Content-Length': payload.length },
        },
        (response) => {
          const chunks: Buffer[] = [];
          let size = 0;
          response.on('data', (chunk: Buffer) => {
            size += chunk.length;
            if (size > MAX_RESPONSE_BYTES) {
              fail(new BankIdError(response.statusCode ?? 0, 'unknown', 'BankID answered with more than 1 MiB'));
              outgoing.destroy();
              return;
            }
            chunks.push(chunk);
          });
          response.on('end', () =>
            settle(() => interpret(response.statusCode ?? 0, response.headers['content-type'], Buffer.concat(chunks))),
          );
          response.on('error', fail);
          response.on('close', () => {
            if (!response.complete) fail(new Error('the connection closed before the whole answer arrived'));
          });
        },
      );
      // Settled before the socket is destroyed, so the 408 wins over the reset that destroying causes.
      const timer = setTimeout(() => {
        fail(new BankIdError(408, 'requestTimeout', `no answer to ${path} within ${timeoutMs} ms`));
        outgoing.destroy();
      }, timeoutMs);
      outgoing.on('error', fail);
      outgoing.end(payload);
    });
  }

  return {
    async auth(authRequest) {
      return parseOrder(await post('auth', orderBody(authRequest)));
    },
    async sign(signRequest) {
      return parseOrder(await post('sign', orderBody(signRequest)));
    },
    async collect(orderRef) {
      return parseCollect(await post('collect', { orderRef }), orderRef);
    },
    async cancel(orderRef) {
      await post('cancel', { orderRef });
    },
    close() {
      agent.destroy();
    },
  };
}

function parseBaseUrl(baseUrl: string): URL {
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    throw new Error(`BankID RP client: baseUrl is not a URL: ${baseUrl}`);
  }
  if (url.protocol !== 'https:') throw new Error(`BankID RP client: baseUrl must be https, got ${baseUrl}`);
  // Relative paths resolve against the last "directory": keep `…/rp/v6.0/` from losing its `v6.0`.
  if (!url.pathname.endsWith('/')) url.pathname = `${url.pathname}/`;
  return url;
}

function orderBody(order: BankIdAuthRequest): Record<string, unknown> {
  return {
    endUserIp: order.endUserIp,
    ...(order.returnUrl === undefined ? {} : { returnUrl: order.returnUrl }),
    ...(order.userVisibleData === undefined
      ? {}
      : { userVisibleData: Buffer.from(order.userVisibleData, 'utf8').toString('base64') }),
  };
}

/** A 2xx answer's JSON; any other status becomes the BankIdError that BankID's `{errorCode, details}` names. */
function interpret(status: number, contentType: string | undefined, body: Buffer): unknown {
  const text = body.toString('utf8');
  let parsed: unknown;
  try {
    parsed = text === '' ? undefined : JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  if (status >= 200 && status < 300) {
    if (parsed === undefined) throw malformed(status, `a body that is not JSON (${contentType ?? 'no content type'})`);
    return parsed;
  }
  if (isRecord(parsed) && typeof parsed.errorCode === 'string' && parsed.errorCode !== '') {
    throw new BankIdError(status, parsed.errorCode, typeof parsed.details === 'string' ? parsed.details : '');
  }
  // The body itself is left out: a proxy's error page is no use in a log line, and may echo the request.
  throw new BankIdError(
    status,
    'unknown',
    `an error body that is not BankID's {errorCode, details} (${contentType ?? 'no content type'}, ${body.length} bytes)`,
  );
}

function parseOrder(body: unknown): BankIdOrder {
  if (
    !isRecord(body) ||
    !isText(body.orderRef) ||
    !isText(body.autoStartToken) ||
    !isText(body.qrStartToken) ||
    !isText(body.qrStartSecret)
  ) {
    throw malformed(200, 'an order without orderRef, autoStartToken, qrStartToken and qrStartSecret');
  }
  return {
    orderRef: body.orderRef,
    autoStartToken: body.autoStartToken,
    qrStartToken: body.qrStartToken,
    qrStartSecret: body.qrStartSecret,
  };
}

/** Light validation: the status decides the shape; hint codes BankID adds later pass through unchanged. */
function parseCollect(body: unknown, orderRef: string): BankIdCollectResult {
  if (!isRecord(body) || body.orderRef !== orderRef) throw malformed(200, 'a collect answer for another orderRef');
  switch (body.status) {
    case 'pending':
      return isText(body.hintCode)
        ? { orderRef, status: 'pending', hintCode: body.hintCode }
        : { orderRef, status: 'pending' };
    case 'failed':
      if (!isText(body.hintCode)) throw malformed(200, 'a failed order without hintCode');
      return { orderRef, status: 'failed', hintCode: body.hintCode };
    case 'complete':
      return { orderRef, status: 'complete', completionData: parseCompletion(body.completionData) };
    default:
      throw malformed(200, 'a collect status other than pending, failed or complete');
  }
}

function parseCompletion(data: unknown): BankIdCompletion {
  if (!isRecord(data) || !isRecord(data.user) || !isRecord(data.device)) {
    throw malformed(200, 'a complete order without completionData.user and completionData.device');
  }
  const { user, device } = data;
  if (
    !isText(user.personalNumber) ||
    typeof user.name !== 'string' ||
    typeof user.givenName !== 'string' ||
    typeof user.surname !== 'string' ||
    typeof device.ipAddress !== 'string' ||
    typeof data.bankIdIssueDate !== 'string' ||
    !isText(data.signature) ||
    !isText(data.ocspResponse)
  ) {
    throw malformed(200, 'a complete order with missing completionData fields');
  }
  return {
    user: { personalNumber: user.personalNumber, name: user.name, givenName: user.givenName, surname: user.surname },
    device:
      typeof device.uhi === 'string'
        ? { ipAddress: device.ipAddress, uhi: device.uhi }
        : { ipAddress: device.ipAddress },
    bankIdIssueDate: data.bankIdIssueDate,
    signature: data.signature,
    ocspResponse: data.ocspResponse,
    ...(isRecord(data.stepUp) && typeof data.stepUp.mrtd === 'boolean' ? { stepUp: { mrtd: data.stepUp.mrtd } } : {}),
  };
}

function malformed(status: number, what: string): BankIdError {
  return new BankIdError(status, 'unknown', `BankID answered with ${what}`);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isText(value: unknown): value is string {
  return typeof value === 'string' && value !== '';
}

function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const code = (error as NodeJS.ErrnoException).code;
  return code ? `${error.message} (${code})` : error.message;
}
