import type { Server } from 'node:net';
import { systemClock } from '../../adapters/system/system-clock-and-ids';
import type { Clock } from '../../domain/ports';
import { createSimulatorCertificates } from './certificates';
import type { BankIdSimulatorControl } from './control';
import { createControl } from './control';
import { createControlServer } from './control-server';
import { FaultInjector } from './faults';
import { createRpServer, RP_BASE_PATH } from './http-server';
import type { RpLeniency } from './rp-api';
import { BankIdStateMachine } from './state-machine';

export interface BankIdSimulatorOptions {
  /** The clock of every order deadline (pickup, user, result windows) and of the QR code's `t`. */
  readonly clock?: Clock;
  /** The RP API's port; 0 (the default) picks a free one. */
  readonly port?: number;
  /** 127.0.0.1 by default; the server certificate names 127.0.0.1, ::1 and localhost, so bind to one of those. */
  readonly host?: string;
  /** The dev-page control server's port on 127.0.0.1; 0 (the default) picks a free one. */
  readonly controlPort?: number;
  /** Where to be more lenient than BankID (the local portal's http return URLs); strict by default. */
  readonly leniency?: RpLeniency;
}

export interface BankIdSimulator {
  /** e.g. `https://127.0.0.1:<port>/rp/v6.0/` */
  readonly baseUrl: string;
  /** The simulator's root CA: the ONLY CA the RP client should trust for it (like "Test BankID SSL Root CA v1 Test"). */
  readonly caCertificatePem: string;
  /** The client certificate the RP presents, issued by the CA the server trusts. */
  readonly rpCertificate: { readonly pkcs12: Uint8Array; readonly passphrase: string };
  /** The in-process test-control surface. */
  readonly control: BankIdSimulatorControl;
  /** The dev page's control API, plain HTTP on loopback: e.g. `http://127.0.0.1:<port>/simulator/`. */
  readonly controlUrl: string;
  stop(): Promise<void>;
}

/**
 * Starts a local BankID: the RP API v6.0 over HTTPS with mutual TLS, a fresh PKI made at start-up, the order state
 * machine on the given clock, fault injection, and the control surfaces. Takes well under a second.
 */
export async function startBankIdSimulator(options: BankIdSimulatorOptions = {}): Promise<BankIdSimulator> {
  const host = options.host ?? '127.0.0.1';
  const certificates = await createSimulatorCertificates();
  const machine = new BankIdStateMachine(options.clock ?? systemClock);
  const faults = new FaultInjector();
  const stopping = new AbortController();

  const rpServer = createRpServer({
    machine,
    faults,
    certificates,
    stopping: stopping.signal,
    ...(options.leniency ? { leniency: options.leniency } : {}),
  });
  const rpPort = await listen(rpServer, options.port ?? 0, host);
  let controlPort = 0;
  const controlServer = createControlServer(machine, () => controlPort);
  try {
    controlPort = await listen(controlServer, options.controlPort ?? 0, '127.0.0.1');
  } catch (error) {
    await close(rpServer);
    throw error;
  }

  // A wildcard bind is still reached (and certified) as 127.0.0.1.
  const reachableHost = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
  const urlHost = reachableHost.includes(':') ? `[${reachableHost}]` : reachableHost;
  return {
    baseUrl: `https://${urlHost}:${rpPort}${RP_BASE_PATH}`,
    caCertificatePem: certificates.rootCaPem,
    rpCertificate: { pkcs12: certificates.rp.pkcs12, passphrase: certificates.rp.passphrase },
    control: createControl(machine, faults),
    controlUrl: `http://127.0.0.1:${controlPort}/simulator/`,
    async stop() {
      stopping.abort();
      await Promise.all([close(rpServer), close(controlServer)]);
    },
  };
}

function listen(server: Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      const address = server.address();
      if (address && typeof address === 'object') resolve(address.port);
      else reject(new Error('The BankID simulator could not determine its port.'));
    });
  });
}

function close(server: Server & { closeAllConnections?: () => void }): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections?.();
  });
}
