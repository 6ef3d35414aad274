import type { Context } from 'hono';
import type { Logger } from '../../domain/logging';
import type {
  Clock,
  IdGenerator,
  PdfInspector,
  RenderQueue,
  TenantDirectory,
  TenantScope,
  TenantScopeFactory,
} from '../../domain/ports';
import type { IngestPrincipal } from '../../use-cases/ingest/ingest-principal';
import type { TrustedRequestInfo } from '../app-types';
import type { OriginLock } from '../middleware/origin-lock';

/** Everything the ingest API needs from outside; built by functions/runtime/ (AWS or local) or by a test. */
export interface IngestAppDeps {
  readonly scopeFor: TenantScopeFactory;
  readonly directory: TenantDirectory;
  readonly queue: RenderQueue;
  readonly inspector: PdfInspector;
  readonly clock: Clock;
  readonly ids: IdGenerator;
  readonly requestInfo: (c: Context) => TrustedRequestInfo;
  /** Set by the AWS wiring: only requests that came through CloudFront are served. Absent locally. */
  readonly originLock?: OriginLock;
  /** Operational log lines (functions/adapters/system/json-logger.ts); personal data never goes in. */
  readonly log: Logger;
}

export interface IngestEnv {
  Variables: {
    requestId: string;
    requestInfo: TrustedRequestInfo;
    scope: TenantScope;
    ingestPrincipal: IngestPrincipal;
    /** The request body as sent, after gzip decoding (what an Idempotency-Key's request hash covers). */
    decodedBody: Uint8Array;
    /** Set to false by a route whose answer must not be replayed from the idempotency store. */
    replayable: boolean;
  };
}
