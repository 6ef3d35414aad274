import type { BankIdRpClientOptions } from './bankid-rp-client';

/**
 * BankID's two environments (../shared/BANKID.md). Which one a stage uses is configuration; the local simulator
 * is not an environment here — it hands its own base URL and CA to bankIdRpClient directly.
 */
export type BankIdEnvironment = 'test' | 'production';

export const BANKID_BASE_URLS: { readonly [Environment in BankIdEnvironment]: string } = {
  test: 'https://appapi2.test.bankid.com/rp/v6.0/',
  production: 'https://appapi2.bankid.com/rp/v6.0/',
};

/**
 * What a stage must supply to talk to BankID. Everything but the environment is a secret or a file that the
 * runtime reads (Secrets Manager in AWS, a file locally) and passes in; nothing here is built into the code.
 *
 * `caCertificatePem` is BankID's root CA for the environment — "BankID SSL Root CA v1" for production,
 * "Test BankID SSL Root CA v1 Test" for test — as published by BankID (developers.bankid.com, "Environments").
 * It is deliberately NOT shipped in this repository: it could not be obtained and verified offline when this was
 * written, and a CA copied from an unverified source would be the one thing the whole mTLS setup trusts. The
 * operator stores the PEM, checked against BankID's published fingerprint, in the stage's secret.
 */
export interface BankIdConnectionConfig {
  readonly environment: BankIdEnvironment;
  /** PEM of BankID's root CA for this environment; the only CA the client trusts. */
  readonly caCertificatePem: string | undefined;
  /** The RP certificate (for test: BankID's public FPTestcert), PKCS#12. */
  readonly pkcs12: Uint8Array | undefined;
  readonly passphrase: string | undefined;
  readonly timeoutMs?: number;
}

/** Thrown at start-up when a stage's BankID configuration is incomplete; names what is missing, never a value. */
export class BankIdConfigurationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BankIdConfigurationError';
  }
}

/** The options for bankIdRpClient in `config.environment`, or a BankIdConfigurationError naming what is missing. */
export function bankIdClientOptions(config: BankIdConnectionConfig): BankIdRpClientOptions {
  const baseUrl = BANKID_BASE_URLS[config.environment];
  if (baseUrl === undefined) throw new BankIdConfigurationError(`Unknown BankID environment: ${config.environment}`);
  const ca = config.caCertificatePem?.trim();
  if (!ca) {
    throw new BankIdConfigurationError(
      `The BankID ${config.environment} root CA is missing: store BankID's published PEM ` +
        `(${config.environment === 'production' ? 'BankID SSL Root CA v1' : 'Test BankID SSL Root CA v1 Test'}) ` +
        'in the BankID secret (Secrets Manager in AWS, a file locally). The client trusts no other CA.',
    );
  }
  if (!ca.startsWith('-----BEGIN CERTIFICATE-----')) {
    throw new BankIdConfigurationError(`The BankID ${config.environment} root CA is not a PEM certificate`);
  }
  if (!config.pkcs12 || config.pkcs12.length === 0) {
    throw new BankIdConfigurationError(`The BankID ${config.environment} RP certificate (PKCS#12) is missing`);
  }
  if (config.passphrase === undefined) {
    throw new BankIdConfigurationError(`The passphrase of the BankID ${config.environment} RP certificate is missing`);
  }
  return {
    baseUrl,
    caCertificatePem: ca,
    pkcs12: config.pkcs12,
    passphrase: config.passphrase,
    ...(config.timeoutMs === undefined ? {} : { timeoutMs: config.timeoutMs }),
  };
}
