import { Hono } from 'hono';
import * as z from 'zod/mini';
import type { Contact } from '../../domain/identity';
import { deactivateContact } from '../../use-cases/deactivate-contact';
import { inviteContact } from '../../use-cases/invite-contact';
import { addContact, listCustomerContacts } from '../../use-cases/manage-contacts';
import type { AdminContactListResponse, AdminContactSummary, AdminInvitationResponse } from '../admin-api-contract';
import type { AppDeps, AppEnv } from '../app-types';
import { authenticateAdministrator } from '../middleware/authenticate';
import { parseJsonBody, uuidParam } from '../validation';

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/u;
const newContactBody = z.object({
  customerId: z.string(),
  name: z.string().check(z.trim(), z.minLength(1, 'must not be empty'), z.maxLength(200)),
  email: z.string().check(z.trim(), z.toLowerCase(), z.maxLength(254), z.regex(EMAIL, 'must be an e-mail address')),
  personalNumber: z.optional(z.string().check(z.maxLength(20))),
});

function contactSummary(contact: Contact): AdminContactSummary {
  return {
    id: contact.id,
    name: contact.name,
    email: contact.email,
    status: contact.status,
    ...(contact.maskedPersonalNumber ? { maskedPersonalNumber: contact.maskedPersonalNumber } : {}),
  };
}

/**
 * Contact persons, for clinic administrators (functions/use-cases/manage-contacts.ts, invite-contact.ts,
 * deactivate-contact.ts): a customer's contacts, adding one, inviting (again) and deactivating. Administrators only;
 * every read and write is bound to the clinic of the host.
 */
export function adminContactRoutes(deps: AppDeps) {
  const requireAdmin = authenticateAdministrator(deps);
  return new Hono<AppEnv>()
    .get('/admin/customers/:customerId/contacts', requireAdmin, async (c) => {
      const contacts = await listCustomerContacts(c.var.scope, uuidParam(c.req.param('customerId'), 'The customer'));
      const body: AdminContactListResponse = { contacts: contacts.map(contactSummary) };
      return c.json(body);
    })
    .post('/admin/contacts', requireAdmin, async (c) => {
      const body = await parseJsonBody(c, newContactBody);
      const contact = await addContact(
        { scope: c.var.scope, clock: deps.clock, ids: deps.ids, personalNumberKeys: deps.bankId?.personalNumberKeys },
        {
          principal: c.var.adminPrincipal,
          sourceIp: c.var.requestInfo.sourceIp,
          contact: { ...body, customerId: uuidParam(body.customerId, 'The customer') },
        },
      );
      return c.json(contactSummary(contact), 201);
    })
    .post('/admin/contacts/:contactId/invitation', requireAdmin, async (c) => {
      const sent = await inviteContact(
        { scope: c.var.scope, clock: deps.clock, ids: deps.ids, mailer: deps.mailer },
        {
          contactId: uuidParam(c.req.param('contactId'), 'The contact'),
          actor: { type: 'admin', id: c.var.adminPrincipal.adminId },
          origin: c.var.requestInfo.origin,
          sourceIp: c.var.requestInfo.sourceIp,
        },
      );
      const body: AdminInvitationResponse = sent;
      return c.json(body);
    })
    .post('/admin/contacts/:contactId/deactivate', requireAdmin, async (c) => {
      const { contact } = await deactivateContact(
        { scope: c.var.scope, clock: deps.clock, ids: deps.ids },
        {
          contactId: uuidParam(c.req.param('contactId'), 'The contact'),
          by: { type: 'admin', id: c.var.adminPrincipal.adminId },
        },
      );
      return c.json(contactSummary(contact));
    });
}
