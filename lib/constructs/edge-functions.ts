/**
 * Sources of the CloudFront Functions (cloudfront-js-2.0 runtime, viewer request). Kept as plain strings in one
 * module so that tests can run them against sample events.
 */

/**
 * SPA fallback for the static-site behaviour only: a path whose last segment has no file extension is a client-side
 * route, so it is served its page: `/admin.html` for `/admin` and the paths below it (the clinic administrators'
 * pages), `/index.html` for every other. Done per behaviour rather than with distribution-wide error responses, which
 * would also turn the API's 403/404 answers into the HTML page. (The dev server decides alike: isAdminPagePath in
 * functions/local/static-frontend.ts.)
 */
export const SPA_FALLBACK_CODE = `function handler(event) {
  var request = event.request;
  var uri = request.uri;
  var lastSegment = uri.substring(uri.lastIndexOf('/') + 1);
  if (lastSegment.indexOf('.') === -1) {
    request.uri = uri === '/admin' || uri.indexOf('/admin/') === 0 ? '/admin.html' : '/index.html';
  }
  return request;
}`;

/**
 * For the API behaviours (`/api/*`, `/ingest/*`): the origin request policy forwards every viewer header except Host
 * (API Gateway needs its own), and the apps resolve the clinic from the host name the user typed. So the viewer's
 * Host is copied into `x-forwarded-host`, overwriting whatever the client sent in that header; otherwise a client
 * could pick a tenant.
 */
export const FORWARD_HOST_CODE = `function handler(event) {
  var request = event.request;
  delete request.headers['x-forwarded-host'];
  if (request.headers.host) {
    request.headers['x-forwarded-host'] = { value: request.headers.host.value };
  }
  return request;
}`;
