import type { Actor, AuditEvent, Customer } from '../../domain/identity';
import type { Clock, IdGenerator, TenantScope } from '../../domain/ports';
import { mapWithConcurrency } from '../map-with-concurrency';
import { recordOnce } from '../record-once';

/** Customers written in parallel; a 1,000-customer batch then takes a second or two, not a Lambda timeout. */
const PARALLEL_WRITES = 16;

export interface UpsertCustomersDeps {
  readonly scope: TenantScope;
  readonly clock: Clock;
  readonly ids: IdGenerator;
}

/** A customer company as the practice system describes it (already validated by the API schema). */
export interface CustomerRecord {
  readonly customerNumber: string;
  readonly name: string;
  readonly orgNumber: string;
  readonly addressLines: readonly string[];
  readonly reference?: string | undefined;
}

export interface CustomerUpsertResult {
  readonly customerNumber: string;
  readonly customerId: string;
  readonly outcome: 'created' | 'updated' | 'unchanged';
}

/**
 * Creates or updates customers by customer number. The practice system owns the company facts (name, org. number,
 * address, reference); the clinic owns portal access and the publishing rule, which an update never changes. New
 * customers get portal access (a contact still has to be added by the clinic before anyone sees anything) and the
 * clinic's default publishing rule (Tenant.defaultPublishing).
 *
 * Each customer is written atomically on its own. A batch that fails half-way is safe to resend: customers already
 * written come back `unchanged`, the rest are written, and the final state is that of one clean run.
 */
export async function upsertCustomers(
  deps: UpsertCustomersDeps,
  actor: Actor,
  records: readonly CustomerRecord[],
): Promise<CustomerUpsertResult[]> {
  const { scope } = deps;
  // The clinic's default rule for customers created now; read once for the batch.
  const defaultPublishing = (await scope.tenant.get())?.defaultPublishing;
  return mapWithConcurrency(records, PARALLEL_WRITES, async (record): Promise<CustomerUpsertResult> => {
    const existing = await scope.customers.findByCustomerNumber(record.customerNumber);
    const now = deps.clock.now().toISOString();
    // An existing customer keeps its rule (absent: automatic); a new one gets the clinic's default.
    const publishing = existing ? existing.publishing : defaultPublishing;
    const customer: Customer = {
      id: existing?.id ?? deps.ids.newId(),
      customerNumber: record.customerNumber,
      name: record.name,
      orgNumber: record.orgNumber,
      addressLines: [...record.addressLines],
      ...(record.reference ? { reference: record.reference } : {}),
      portalAccess: existing?.portalAccess ?? true,
      ...(publishing ? { publishing } : {}),
      ...(existing?.shownDocumentTypes ? { shownDocumentTypes: existing.shownDocumentTypes } : {}),
      // Only a customer this API creates gets a creation time; one made otherwise (seed, admin) keeps none.
      ...(existing ? (existing.createdAt ? { createdAt: existing.createdAt } : {}) : { createdAt: now }),
      updatedAt: now,
    };
    const outcome = !existing ? 'created' : sameCustomer(existing, customer) ? 'unchanged' : 'updated';
    if (outcome !== 'unchanged') await scope.customers.put(customer);
    // Also when unchanged: a retry after a lost response records the change the first attempt made.
    const changed = outcome === 'unchanged' ? existing : customer;
    if (changed?.updatedAt) await recordOnce(scope, customerChangeEvent(actor, changed, changed.updatedAt));
    return { customerNumber: customer.customerNumber, customerId: customer.id, outcome };
  });
}

/** One event per stored change of a customer, keyed by the change's time (see recordOnce). */
function customerChangeEvent(actor: Actor, customer: Customer, updatedAt: string): AuditEvent {
  return {
    id: `${customer.id}.${updatedAt}`,
    at: updatedAt,
    action: customer.createdAt === updatedAt ? 'customer.created' : 'customer.updated',
    actor,
    customerId: customer.id,
    outcome: 'success',
  };
}

function sameCustomer(a: Customer, b: Customer): boolean {
  return (
    a.name === b.name &&
    a.orgNumber === b.orgNumber &&
    a.reference === b.reference &&
    a.addressLines.length === b.addressLines.length &&
    a.addressLines.every((line, index) => line === b.addressLines[index])
  );
}
