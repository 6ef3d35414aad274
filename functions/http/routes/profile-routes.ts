import { Hono } from 'hono';
import * as z from 'zod/mini';
import { LANGUAGES } from '../../domain/identity';
import {
  endAllSessions,
  endOtherSessions,
  endOwnSession,
  listOwnSessions,
  updateOwnPreferences,
} from '../../use-cases/manage-sessions';
import type { PreferencesResponse, SessionListResponse, SessionsRevokedResponse } from '../api-contract';
import type { AppDeps, AppEnv } from '../app-types';
import { authenticate } from '../middleware/authenticate';
import { deleteSessionCookie, SESSION_COOKIE } from '../session-cookies';
import { parseJsonBody, uuidParam } from '../validation';

/**
 * Partial on purpose (PATCH): the language switch and the notification checkbox each send only their own field, so
 * a change in one tab never writes back a stale value of the other. Unknown fields are refused, not ignored.
 */
const preferencesBody = z
  .strictObject({
    notifyOnNewDocument: z.optional(z.boolean()),
    language: z.optional(z.enum(LANGUAGES)),
  })
  .check(
    z.refine(
      (body) => body.notifyOnNewDocument !== undefined || body.language !== undefined,
      'Give notifyOnNewDocument, language or both.',
    ),
  );

/** The logged-in contact's own sessions and preferences (the profile page). */
export function profileRoutes(deps: AppDeps) {
  const requireSession = authenticate(deps);
  return new Hono<AppEnv>()
    .get('/me/sessions', requireSession, async (c) => {
      const sessions = await listOwnSessions({ scope: c.var.scope, clock: deps.clock, ids: deps.ids }, c.var.principal);
      return c.json({ sessions } satisfies SessionListResponse);
    })
    .post('/me/sessions/revoke-others', requireSession, async (c) => {
      const revokedSessions = await endOtherSessions(
        { scope: c.var.scope, clock: deps.clock, ids: deps.ids },
        { principal: c.var.principal, sourceIp: c.var.requestInfo.sourceIp },
      );
      return c.json({ revokedSessions } satisfies SessionsRevokedResponse);
    })
    .post('/me/sessions/revoke-all', requireSession, async (c) => {
      const revokedSessions = await endAllSessions(
        { scope: c.var.scope, clock: deps.clock, ids: deps.ids },
        { principal: c.var.principal, sourceIp: c.var.requestInfo.sourceIp },
      );
      deleteSessionCookie(c, SESSION_COOKIE);
      return c.json({ revokedSessions } satisfies SessionsRevokedResponse);
    })
    .delete('/me/sessions/:sessionId', requireSession, async (c) => {
      const sessionId = uuidParam(c.req.param('sessionId'), 'The session');
      const { endedCurrent } = await endOwnSession(
        { scope: c.var.scope, clock: deps.clock, ids: deps.ids },
        { principal: c.var.principal, sourceIp: c.var.requestInfo.sourceIp, sessionId },
      );
      // Ending the session this request came through is a logout: the cookie goes too.
      if (endedCurrent) deleteSessionCookie(c, SESSION_COOKIE);
      return c.body(null, 204);
    })
    .patch('/me/preferences', requireSession, async (c) => {
      const change = await parseJsonBody(c, preferencesBody);
      const preferences = await updateOwnPreferences(c.var.scope, c.var.principal, change);
      return c.json(preferences satisfies PreferencesResponse);
    });
}
