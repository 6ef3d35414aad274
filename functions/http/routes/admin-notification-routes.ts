import { Hono } from 'hono';
import {
  documentNoticeHistory,
  type NoticeBatchHistory,
  resendPublicationNotice,
} from '../../use-cases/send-publication-notices';
import type { AdminDocumentNoticesResponse, AdminNoticeBatch } from '../admin-api-contract';
import type { AppDeps, AppEnv } from '../app-types';
import { authenticateAdministrator } from '../middleware/authenticate';
import { uuidParam } from '../validation';

function batchSummary({ batch, deliveries }: NoticeBatchHistory): AdminNoticeBatch {
  return {
    id: batch.id,
    reason: batch.reason,
    createdAt: batch.createdAt,
    ...(batch.closedAt ? { closedAt: batch.closedAt } : {}),
    documentCount: batch.documentIds.length,
    deliveries: deliveries.map(({ contactId, contactName, delivery }) => ({
      contactId,
      contactName,
      state: delivery?.state ?? 'pending',
      attempts: delivery?.attempts ?? 0,
      ...(delivery ? { updatedAt: delivery.updatedAt } : {}),
      ...(delivery?.reason ? { reason: delivery.reason } : {}),
    })),
  };
}

/**
 * The notices of a document (functions/use-cases/send-publication-notices.ts): who was told of it and how each mail
 * went, and sending the notice again. Administrators only; bound to the clinic of the host like every admin route.
 */
export function adminNotificationRoutes(deps: AppDeps) {
  const requireAdmin = authenticateAdministrator(deps);
  const path = '/admin/customers/:customerId/documents/:documentId/notifications';
  const history = async (scope: AppEnv['Variables']['scope'], customerId: string, documentId: string) => {
    const { waiting, batches } = await documentNoticeHistory(scope, customerId, documentId);
    const body: AdminDocumentNoticesResponse = { waiting, batches: batches.map(batchSummary) };
    return body;
  };
  return new Hono<AppEnv>()
    .get(path, requireAdmin, async (c) => {
      const customerId = uuidParam(c.req.param('customerId'), 'The customer');
      const documentId = uuidParam(c.req.param('documentId'), 'The document');
      return c.json(await history(c.var.scope, customerId, documentId));
    })
    .post(path, requireAdmin, async (c) => {
      const customerId = uuidParam(c.req.param('customerId'), 'The customer');
      const documentId = uuidParam(c.req.param('documentId'), 'The document');
      await resendPublicationNotice(
        { scope: c.var.scope, clock: deps.clock, ids: deps.ids, mailer: deps.mailer },
        { principal: c.var.adminPrincipal, sourceIp: c.var.requestInfo.sourceIp, customerId, documentId },
      );
      return c.json(await history(c.var.scope, customerId, documentId), 201);
    });
}
