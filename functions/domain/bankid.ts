import { UnavailableError } from './errors';

/**
 * The BankID Relying Party API v6.0 as the portal sees it (../shared/BANKID.md): the port the login use cases will
 * call, and the shapes it returns. The adapter (functions/adapters/bankid/) speaks it over mutual TLS to BankID, or
 * to the local simulator (functions/local/bankid-simulator/), which passes the same contract tests.
 */

/** What /auth and /sign return. `qrStartSecret` never leaves the backend. */
export interface BankIdOrder {
  readonly orderRef: string;
  readonly autoStartToken: string;
  readonly qrStartToken: string;
  readonly qrStartSecret: string;
}

export interface BankIdAuthRequest {
  /** The end user's IP address as our trusted request context saw it (never a client-supplied header). */
  readonly endUserIp: string;
  /** Where BankID returns the user after a same-device start; carries a nonce the portal verifies. */
  readonly returnUrl?: string;
  /** Text shown in the BankID app (plain UTF-8; the adapter base64-encodes it). */
  readonly userVisibleData?: string;
}

export interface BankIdSignRequest extends BankIdAuthRequest {
  readonly userVisibleData: string;
}

export interface BankIdUser {
  /** 12 digits, YYYYMMDDNNNC. Sensitive: never logged, never in a URL; stored only as a keyed hash. */
  readonly personalNumber: string;
  readonly name: string;
  readonly givenName: string;
  readonly surname: string;
}

export interface BankIdCompletion {
  readonly user: BankIdUser;
  readonly device: { readonly ipAddress: string; readonly uhi?: string };
  readonly bankIdIssueDate: string;
  readonly signature: string;
  readonly ocspResponse: string;
  readonly stepUp?: { readonly mrtd: boolean };
}

/** BankID's pending hint codes; unknown ones must be tolerated, so the type stays open. */
export type BankIdPendingHint =
  | 'outstandingTransaction'
  | 'noClient'
  | 'started'
  | 'userMrtd'
  | 'userCallConfirm'
  | 'userSign';
export type BankIdFailedHint =
  | 'expiredTransaction'
  | 'certificateErr'
  | 'userCancel'
  | 'cancelled'
  | 'startFailed'
  | 'userDeclinedCall'
  | 'notSupportedByUserApp'
  | 'transactionRiskBlocked';

export type BankIdCollectResult =
  | { readonly orderRef: string; readonly status: 'pending'; readonly hintCode?: BankIdPendingHint | (string & {}) }
  | { readonly orderRef: string; readonly status: 'failed'; readonly hintCode: BankIdFailedHint | (string & {}) }
  | { readonly orderRef: string; readonly status: 'complete'; readonly completionData: BankIdCompletion };

/**
 * An error answer of the RP API, `{errorCode, details}` with its HTTP status: alreadyInProgress, invalidParameters,
 * unauthorized, notFound, requestTimeout, maintenance, internalError, tooManyRequests, or a code we do not know.
 */
export class BankIdError extends Error {
  constructor(
    readonly status: number,
    readonly errorCode: string,
    readonly details: string,
  ) {
    super(`BankID answered ${status} ${errorCode}${details ? `: ${details}` : ''}`);
    this.name = 'BankIdError';
  }
}

/**
 * BankID cannot be used here: not configured for this deployment, or its configuration is incomplete (`cause` says
 * what). 503 `bankid_unavailable`, so the login page offers the password instead.
 */
export class BankIdUnavailableError extends UnavailableError {
  constructor(options: { readonly cause?: unknown } = {}) {
    super(
      'bankid_unavailable',
      'BankID login is not available for this portal; log in with your username and password.',
    );
    if (options.cause !== undefined) this.cause = options.cause;
  }
}

/** The RP API. Implementations must time out, never trust the system CA store, and map errors to BankIdError. */
export interface BankIdClient {
  auth(request: BankIdAuthRequest): Promise<BankIdOrder>;
  sign(request: BankIdSignRequest): Promise<BankIdOrder>;
  collect(orderRef: string): Promise<BankIdCollectResult>;
  cancel(orderRef: string): Promise<void>;
}

/**
 * Where the BankID app sends the user back after a login started on this device (the order's `returnUrl`):
 * `<origin>/bankid/retur#login=<loginId>&nonce=<nonce>`. The values are in the fragment, so they never reach a
 * server log; the page hands them to collect, which completes the login only with the order's nonce.
 */
export const BANKID_RETURN_PATH = '/bankid/retur';
