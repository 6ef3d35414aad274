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

/** BankID's name of each environment's root CA, as the operator finds it in BankID's documentation. */
export const BANKID_ROOT_CA_NAMES: { readonly [Environment in BankIdEnvironment]: string } = {
  test: 'Test BankID SSL Root CA v1 Test',
  production: 'BankID SSL Root CA v1',
};

export function isBankIdEnvironment(value: unknown): value is BankIdEnvironment {
  return typeof value === 'string' && Object.hasOwn(BANKID_BASE_URLS, value);
}

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
  /**
   * Only for tests and staging (e.g. the BankID simulator): talk to this https URL instead of the environment's.
   * The client still trusts nothing but `caCertificatePem`.
   */
  readonly baseUrl?: string | undefined;
  /** PEM of BankID's root CA for this environment; the only CA the client trusts. */
  readonly caCertificatePem: string | undefined;
  /** The RP certificate (for test: BankID's public FPTestcert), PKCS#12. */
  readonly pkcs12: Uint8Array | undefined;
  readonly passphrase: string | undefined;
  readonly timeoutMs?: number;
}

/**
 * Thrown when a stage's BankID configuration is incomplete or unusable; names what is missing or wrong, never a
 * value (the message ends up in logs).
 */
export class BankIdConfigurationError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'BankIdConfigurationError';
  }
}

/**
 * The RP API's base URL: the environment's, or `override` (tests and staging only), which must be an https URL.
 * Throws a BankIdConfigurationError for an unknown environment or an override that is not https.
 */
export function bankIdBaseUrl(environment: BankIdEnvironment, override?: string): string {
  if (!isBankIdEnvironment(environment)) {
    throw new BankIdConfigurationError(
      `Unknown BankID environment: ${String(environment)} (expected ${Object.keys(BANKID_BASE_URLS).join(' or ')})`,
    );
  }
  if (override === undefined || override === '') return BANKID_BASE_URLS[environment];
  let url: URL;
  try {
    url = new URL(override);
  } catch {
    throw new BankIdConfigurationError('The BankID base URL override is not a URL');
  }
  if (url.protocol !== 'https:') throw new BankIdConfigurationError('The BankID base URL override must be https');
  return url.href;
}

/** The options for bankIdRpClient in `config.environment`, or a BankIdConfigurationError naming what is missing. */
export function bankIdClientOptions(config: BankIdConnectionConfig): BankIdRpClientOptions {
  const baseUrl = bankIdBaseUrl(config.environment, config.baseUrl);
  const ca = config.caCertificatePem?.trim();
  if (!ca) {
    throw new BankIdConfigurationError(
      `The BankID ${config.environment} root CA is missing: store BankID's published PEM ` +
        `(${BANKID_ROOT_CA_NAMES[config.environment]}) ` +
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

/**
 * The JSON the BankID secret holds in AWS (Secrets Manager; README, "Deploying to AWS"): the RP certificate as
 * base64 of the .p12 file, its passphrase, and BankID's root CA for the environment as PEM.
 */
export interface BankIdSecret {
  readonly pkcs12Base64: string;
  readonly passphrase: string;
  readonly caCertificatePem: string;
}

export const BANKID_SECRET_FIELDS = ['pkcs12Base64', 'passphrase', 'caCertificatePem'] as const satisfies ReadonlyArray<
  keyof BankIdSecret
>;

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/**
 * The client options from the BankID secret's SecretString (see {@link BankIdSecret}), or a BankIdConfigurationError
 * that names every missing or malformed field — never a value, not even the JSON parser's message, which quotes the
 * text it could not read.
 */
export function bankIdClientOptionsFromSecret(
  secretString: string | undefined,
  connection: { readonly environment: BankIdEnvironment; readonly baseUrl?: string | undefined },
): BankIdRpClientOptions {
  const shape = `a JSON object with ${BANKID_SECRET_FIELDS.join(', ')}`;
  if (!secretString?.trim()) throw new BankIdConfigurationError(`The BankID secret is empty: it must hold ${shape}`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(secretString);
  } catch {
    throw new BankIdConfigurationError(`The BankID secret is not JSON: it must hold ${shape}`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new BankIdConfigurationError(`The BankID secret must hold ${shape}`);
  }
  const fields = parsed as Partial<Record<keyof BankIdSecret, unknown>>;
  const notStrings = BANKID_SECRET_FIELDS.filter(
    (name) => fields[name] !== undefined && typeof fields[name] !== 'string',
  );
  if (notStrings.length > 0) {
    throw new BankIdConfigurationError(`In the BankID secret, ${notStrings.join(', ')} must be a string`);
  }
  const text = (name: keyof BankIdSecret) => (typeof fields[name] === 'string' ? fields[name] : undefined);
  const pkcs12Base64 = text('pkcs12Base64')?.replace(/\s+/g, '') ?? '';
  const caCertificatePem = text('caCertificatePem')?.trim() ?? '';
  const passphrase = text('passphrase');
  // An empty passphrase is a passphrase (a .p12 may have none); an empty certificate is not a certificate.
  const missing = [
    ...(pkcs12Base64 === '' ? ['pkcs12Base64 (the RP certificate, base64 of the .p12 file)'] : []),
    ...(passphrase === undefined ? ['passphrase (of the RP certificate)'] : []),
    ...(caCertificatePem === ''
      ? [`caCertificatePem (BankID's root CA "${BANKID_ROOT_CA_NAMES[connection.environment]}", PEM)`]
      : []),
  ];
  if (missing.length > 0) {
    throw new BankIdConfigurationError(
      `The BankID ${connection.environment} secret lacks ${missing.join('; ')}. ` +
        'Store them with `aws secretsmanager put-secret-value` (README, "Deploying to AWS").',
    );
  }
  if (pkcs12Base64.length % 4 !== 0 || !BASE64.test(pkcs12Base64)) {
    throw new BankIdConfigurationError('In the BankID secret, pkcs12Base64 is not base64');
  }
  return bankIdClientOptions({
    environment: connection.environment,
    baseUrl: connection.baseUrl,
    caCertificatePem,
    pkcs12: Buffer.from(pkcs12Base64, 'base64'),
    passphrase,
  });
}
