import type { Context } from 'hono';
import type { Logger } from '../domain/logging';
import type {
  Clock,
  IdGenerator,
  Mailer,
  PasswordHasher,
  SecretCipher,
  SessionTokens,
  TenantDirectory,
  TenantScope,
  TenantScopeFactory,
  TotpAuthenticator,
} from '../domain/ports';
import type { AdminPrincipal } from '../use-cases/admin-session';
import type { BankIdSupport } from '../use-cases/bankid-login';
import type { ContactPrincipal } from '../use-cases/contact-principal';
import type { OriginLock } from './middleware/origin-lock';

/**
 * Facts about a request that only the runtime can vouch for: the host name the viewer used (which picks the
 * clinic) and the client's IP address. Lambda reads them from API Gateway's request context and the header our
 * CloudFront function sets; the dev server from the socket. Never from headers a client may choose.
 */
export interface TrustedRequestInfo {
  readonly host: string;
  /** The portal's own origin as the browser sees it (scheme, host, port): what a same-origin request's Origin must be. */
  readonly origin: string;
  readonly sourceIp: string;
}

/** Everything the app needs from outside; built by functions/runtime/ (AWS or local) or by a test. */
export interface AppDeps {
  readonly scopeFor: TenantScopeFactory;
  readonly directory: TenantDirectory;
  readonly tokens: SessionTokens;
  readonly hasher: PasswordHasher;
  readonly clock: Clock;
  readonly ids: IdGenerator;
  /** Invitations and password resets. */
  readonly mailer: Mailer;
  /**
   * The least time a password-reset request takes, so that known and unknown addresses answer alike (default
   * RESET_REQUEST_MINIMUM_MS in functions/use-cases/password-links.ts); tests lower it.
   */
  readonly resetRequestMinimumMs?: number;
  readonly requestInfo: (c: Context) => TrustedRequestInfo;
  /** Administrators' second factor (RFC 6238). */
  readonly totp: TotpAuthenticator;
  /** Seals administrators' TOTP secrets under a key kept outside the table. */
  readonly adminSecrets: SecretCipher;
  /** Absent where BankID is not configured: its routes then answer 503 `bankid_unavailable`. */
  readonly bankId?: BankIdSupport;
  /** Set by the AWS wiring: only requests that came through CloudFront are served. Absent locally. */
  readonly originLock?: OriginLock;
  /** Operational log lines (functions/adapters/system/json-logger.ts); personal data never goes in. */
  readonly log: Logger;
}

/** Typed request-scoped values (`c.var.*`). */
export interface AppEnv {
  Variables: {
    requestId: string;
    requestInfo: TrustedRequestInfo;
    scope: TenantScope;
    principal: ContactPrincipal;
    /** Set by authenticateBeforeWrites (./middleware/authenticate.ts): the session record's check, to await before writing. */
    sessionConfirmed: Promise<void>;
    adminPrincipal: AdminPrincipal;
  };
}
