import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../../../lib/config';

/**
 * A 64-hex-digit SHA-256 asset hash: Lambda code keys (`<hash>.zip`), BucketDeployment source keys, and the hashes
 * of the handlers CDK ships for its custom resources. They change with every edit of the bundled code or frontend,
 * with the aws-cdk-lib version, and (with bundling off, where CDK hashes the bundling options instead of the output)
 * with the checkout's absolute path, none of which is a change to the infrastructure.
 */
const ASSET_HASH = /\b[0-9a-f]{64}\b/gu;

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\/]/gu, '\\$&');

/** The infra tests' stand-in for the frontend build: a fresh `mkdtemp` directory in every test process. */
const FRONTEND_DIST = new RegExp(`${escapeRegExp(join(tmpdir(), 'portal-frontend-'))}\\w+`, 'gu');
const CHECKOUT = new RegExp(escapeRegExp(PROJECT_ROOT), 'gu');

const normaliseString = (value: string) =>
  value
    .replace(ASSET_HASH, '<asset-hash>')
    .replace(FRONTEND_DIST, '<frontend-dist>')
    .replace(CHECKOUT, '<project-root>');

/**
 * A copy of a synthesized template (`Template.toJSON()`) with what varies without any change to the infrastructure
 * replaced by stable placeholders: asset hashes (see {@link ASSET_HASH}) and machine paths (the checkout, the temporary
 * frontend dist), so a snapshot of it is the same on every machine and after every code edit. Only those substrings
 * are replaced; every resource, property, policy and reference stays, because they are what a snapshot compares.
 * Today's templates name no path and hold nothing time-dependent; the path rules keep a future one (a description
 * naming an entry file, say) from tying the snapshots to one machine. Normalise a timestamp here if one ever appears.
 */
export function normaliseTemplate(template: unknown): unknown {
  return JSON.parse(JSON.stringify(template), (_key, value: unknown) =>
    typeof value === 'string' ? normaliseString(value) : value,
  );
}
