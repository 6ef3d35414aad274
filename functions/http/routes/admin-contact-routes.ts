import { Hono } from 'hono';
import * as z from 'zod/mini';
import { deactivateContact } from '../../use-cases/deactivate-contact';
import { inviteContact } from '../../use-cases/invite-contact';
import {
  addContact,
  type ContactWithCustomers,
  editContact,
  listCustomerContactsWithCustomers,
} from '../../use-cases/manage-contacts';
import type { AdminContactListResponse, AdminContactSummary, AdminInvitationResponse } from '../admin-api-contract';
import type { AppDeps, AppEnv } from '../app-types';
import { authenticateAdministrator } from '../middleware/authenticate';
import { parseJsonBody, uuidParam } from '../validation';

/**
 * The most companies one contact is edited to belong to at once: a contact edit is one transaction (at most 100
 * items with the profile and logins), and a person is a contact of a handful of companies, not of dozens.
 */
const MAX_CONTACT_COMPANIES = 50;

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/u;
const name = z.string().check(z.trim(), z.minLength(1, 'must not be empty'), z.maxLength(200));
const email = z
  .string()
  .check(z.trim(), z.toLowerCase(), z.maxLength(254), z.regex(EMAIL, 'must be an e-mail address'));
const personalNumber = z.string().check(z.maxLength(20));
const newContactBody = z.object({
  customerId: z.string(),
  name,
  email,
  personalNumber: z.optional(personalNumber),
});
const contactEditBody = z
  .object({
    name: z.optional(name),
    email: z.optional(email),
    personalNumber: z.optional(z.nullable(personalNumber)),
    customerIds: z.optional(z.array(z.string().check(z.maxLength(100))).check(z.maxLength(MAX_CONTACT_COMPANIES))),
  })
  .check(
    z.refine((body) => Object.values(body).some((value) => value !== undefined), {
      message: 'give name, email, personalNumber or customerIds',
      path: ['name'],
    }),
  );

function contactSummary({ contact, memberships }: ContactWithCustomers): AdminContactSummary {
  return {
    id: contact.id,
    name: contact.name,
    email: contact.email,
    status: contact.status,
    ...(contact.maskedPersonalNumber ? { maskedPersonalNumber: contact.maskedPersonalNumber } : {}),
    customers: memberships.map((membership) => ({ id: membership.customerId, name: membership.customerName })),
  };
}

/**
 * Contact persons, for clinic administrators (functions/use-cases/manage-contacts.ts, invite-contact.ts,
 * deactivate-contact.ts): a customer's contacts, adding one, editing one (name, address, personal number, companies),
 * inviting (again: the same route resends) and deactivating. Administrators only;
 * every read and write is bound to the clinic of the host.
 */
export function adminContactRoutes(deps: AppDeps) {
  const requireAdmin = authenticateAdministrator(deps);
  const manageDeps = (scope: AppEnv['Variables']['scope']) => ({
    scope,
    clock: deps.clock,
    ids: deps.ids,
    personalNumberKeys: deps.bankId?.personalNumberKeys,
  });
  return new Hono<AppEnv>()
    .get('/admin/customers/:customerId/contacts', requireAdmin, async (c) => {
      const contacts = await listCustomerContactsWithCustomers(
        c.var.scope,
        uuidParam(c.req.param('customerId'), 'The customer'),
      );
      const body: AdminContactListResponse = { contacts: contacts.map(contactSummary) };
      return c.json(body);
    })
    .post('/admin/contacts', requireAdmin, async (c) => {
      const body = await parseJsonBody(c, newContactBody);
      const customerId = uuidParam(body.customerId, 'The customer');
      const contact = await addContact(manageDeps(c.var.scope), {
        principal: c.var.adminPrincipal,
        sourceIp: c.var.requestInfo.sourceIp,
        contact: { ...body, customerId },
      });
      const customerName = (await c.var.scope.customers.get(customerId))?.name ?? '';
      return c.json(
        contactSummary({ contact, memberships: [{ contactId: contact.id, customerId, customerName }] }),
        201,
      );
    })
    .patch('/admin/contacts/:contactId', requireAdmin, async (c) => {
      const contactId = uuidParam(c.req.param('contactId'), 'The contact');
      const body = await parseJsonBody(c, contactEditBody);
      const edited = await editContact(manageDeps(c.var.scope), {
        principal: c.var.adminPrincipal,
        sourceIp: c.var.requestInfo.sourceIp,
        contactId,
        edit: {
          ...body,
          // Ids are ours: one not shaped like one names no customer, and the answer says which.
          customerIds: body.customerIds?.map((id) => uuidParam(id, `The customer ${id}`)),
        },
      });
      return c.json(contactSummary(edited));
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
      return c.json(contactSummary({ contact, memberships: await c.var.scope.contacts.listMemberships(contact.id) }));
    });
}
