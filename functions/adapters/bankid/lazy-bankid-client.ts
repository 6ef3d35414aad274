import { BankIdUnavailableError } from '../../domain/bankid';
import { errorFields, type Logger } from '../../domain/logging';
import { keptOnSuccess } from '../system/kept-on-success';
import { BankIdConfigurationError } from './bankid-environments';
import { type BankIdRpClient, type BankIdRpClientOptions, bankIdRpClient } from './bankid-rp-client';

export interface LazyBankIdClientOptions {
  /**
   * The RP client's options (in AWS: read from Secrets Manager). A BankIdConfigurationError says the stage's BankID
   * is not (correctly) set up; any other error is passed on as it is (e.g. Secrets Manager could not be reached).
   */
  readonly loadOptions: () => Promise<BankIdRpClientOptions>;
  /** Builds the client from the options; bankIdRpClient by default. */
  readonly createClient?: (options: BankIdRpClientOptions) => BankIdRpClient;
  /** Where a configuration problem is reported for the operator (never a value of the secret). */
  readonly log: Logger;
}

/**
 * A BankID RP client whose credentials are loaded on first use, not at import or cold start: a container that logs
 * nobody in with BankID never reads the secret, and importing the handler opens no connection. The options are
 * loaded and the client (one keep-alive agent) built once; concurrent first calls share that one load, and a failed
 * load is retried by the next call.
 *
 * While the configuration is incomplete (the secret still holds its placeholder, a field is missing, the .p12 or
 * its passphrase is wrong) every call fails with {@link BankIdUnavailableError} — 503 `bankid_unavailable`, as if
 * BankID were not wired at all — whose `cause` is the BankIdConfigurationError naming what is wrong, and the
 * problem is logged (never a value) for the operator.
 */
export function lazyBankIdClient(options: LazyBankIdClientOptions): BankIdRpClient {
  const createClient = options.createClient ?? bankIdRpClient;
  const { log } = options;
  let built: BankIdRpClient | undefined;

  const client = keptOnSuccess(async () => {
    try {
      const clientOptions = await options.loadOptions();
      let created: BankIdRpClient;
      try {
        created = createClient(clientOptions);
      } catch (error) {
        // The secret's content could not be used (a wrong passphrase, a damaged .p12 or CA).
        const reason = error instanceof Error ? error.message : String(error);
        throw new BankIdConfigurationError(`The BankID RP certificate or CA cannot be used: ${reason}`, {
          cause: error,
        });
      }
      built = created;
      return created;
    } catch (error) {
      if (!(error instanceof BankIdConfigurationError)) throw error;
      log.error('BankID is not configured', errorFields(error));
      throw new BankIdUnavailableError({ cause: error });
    }
  });

  return {
    async auth(request) {
      return (await client()).auth(request);
    },
    async sign(request) {
      return (await client()).sign(request);
    },
    async collect(orderRef) {
      return (await client()).collect(orderRef);
    },
    async cancel(orderRef) {
      return (await client()).cancel(orderRef);
    },
    close() {
      built?.close();
    },
  };
}
