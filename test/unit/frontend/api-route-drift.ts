import { call, type DocumentPage } from '../../../frontend/src/api';

/**
 * The frontend's client is typed by the server's route table (frontend/src/api.ts `call`). The `@ts-expect-error`
 * lines below are the proof that drift is caught: `npm test` typechecks this file first, and a line that stops being an
 * error (because the client no longer checks it) fails the typecheck.
 */
export function callsTheServerDoesNotServe(): void {
  // @ts-expect-error: no such route
  void call('GET', '/api/no-such-route');
  // @ts-expect-error: the route exists, but not with this method
  void call('POST', '/api/me/sessions/:sessionId', { params: { sessionId: 'x' } });
  // @ts-expect-error: a route with a path parameter cannot be called without it
  void call('DELETE', '/api/me/sessions/:sessionId');
  // @ts-expect-error: the parameter has another name
  void call('DELETE', '/api/me/sessions/:sessionId', { params: { session: 'x' } });
  // @ts-expect-error: the years route does not answer with a page of documents
  const page: Promise<DocumentPage> = call('GET', '/api/customers/:customerId/document-years', {
    params: { customerId: 'x' },
  });
  void page;
}
