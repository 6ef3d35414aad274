/**
 * What the operator names a new clinic by (`npm run tenant -- create`): its slug, host name and portal origin. Each
 * check returns the reason a value is refused (for an error naming the argument), or undefined when it is good.
 */

/** Lowercase letters, digits and inner hyphens: a DNS label, and readable in a host name (`halsan-vast.localhost`). */
const SLUG = /^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/u;
export const SLUG_LENGTH = { min: 2, max: 40 } as const;

/**
 * Labels that name the platform rather than a clinic, or that a clinic's host could be mistaken for (`api.…`,
 * `admin.…`); `localhost` itself is the demo clinic's host locally.
 */
export const RESERVED_SLUGS: ReadonlySet<string> = new Set([
  'www',
  'api',
  'admin',
  'localhost',
  'ingest',
  'mail',
  'dev',
  'static',
  'assets',
  'app',
  'portal',
  'status',
  'demo',
]);

export function slugProblem(slug: string): string | undefined {
  if (slug.length < SLUG_LENGTH.min || slug.length > SLUG_LENGTH.max) {
    return `${SLUG_LENGTH.min} to ${SLUG_LENGTH.max} characters`;
  }
  if (!SLUG.test(slug)) return 'lowercase letters a-z, digits and hyphens (not first or last), e.g. halsan-vast';
  if (RESERVED_SLUGS.has(slug)) return `not a reserved name (${[...RESERVED_SLUGS].join(', ')})`;
  return undefined;
}

/** A host name the directory can key on: lowercase DNS labels, at most 253 characters, no port. */
const HOST_LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/u;

export function hostProblem(host: string): string | undefined {
  const labels = host.split('.');
  if (host.length > 253 || labels.length < 2 || !labels.every((label) => HOST_LABEL.test(label))) {
    return 'a lowercase host name without scheme or port, e.g. halsan-vast.portal.example.se';
  }
  return undefined;
}

/**
 * The clinic's origin must be on its own host: mailed links (invitations, notices) work only there, and the portal
 * refuses writes from another origin. `http:` only for loopback hosts (`*.localhost`, the local portal).
 */
export function originProblem(origin: string, host: string): string | undefined {
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return 'a URL such as https://halsan-vast.portal.example.se';
  }
  const loopback = host === 'localhost' || host.endsWith('.localhost');
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback)) return 'an https:// URL';
  if (url.hostname !== host) return `on the clinic's host ${host}`;
  if (url.origin !== origin.replace(/\/$/u, '')) return 'scheme, host and port only (no path)';
  return undefined;
}
