/**
 * The Content Security Policy the frontend is served with: by CloudFront's response-headers policy in AWS
 * (lib/constructs/static-site.ts) and by the dev server locally (functions/local/static-frontend.ts). One
 * definition, so a page that breaks the policy breaks in the browser tests before it reaches production.
 */
export const FRONTEND_CONTENT_SECURITY_POLICY =
  "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'";
