import { createHash } from 'node:crypto';
import {
  type DocumentStatus,
  type DocumentVisibility,
  type DownloadReceipt,
  type InvoiceDocument,
  isVisibleToContacts,
} from '../../domain/document';
import { ConflictError, NotFoundError, ValidationError } from '../../domain/errors';
import { shownDocumentTypes } from '../../domain/identity';
import { DOCUMENT_TYPES, type DocumentType } from '../../domain/invoice-basis';
import type {
  CompletedVersion,
  ContactsCustomer,
  DocumentRepository,
  ReadyPdf,
  VisibleDocumentsQuery,
} from '../../domain/ports';
import {
  allOf,
  ConcurrentWriteError,
  type DynamoDbTable,
  type Expression,
  type Item,
  rethrowConflictAs,
  updateExpression,
  withoutKeys,
} from './dynamodb-table';
import { allDocumentsPartition, keys, visibleDocumentsPartition } from './keys';

/** The position part of a cursor: the index sort key `<invoice date>#<document id>` (see {@link listCursor}). */
const CURSOR_SORT_KEY = /^\d{4}-\d{2}-\d{2}#[0-9a-f-]{36}$/u;
const CURSOR_TAG_LENGTH = 16;

/**
 * A filtered page reads index entries in batches of this many until it is full; at most MAX_READ_PER_PAGE per
 * request (about 1 MB of items), so a filter that matches little never makes one request read the whole list. The
 * client continues with the cursor.
 */
const FILTERED_BATCH = 200;
const MAX_READ_PER_PAGE = 1000;

/** The newest receipts of a document the admin's view lists; a document fetched more often shows these. */
const MAX_RECEIPTS_LISTED = 100;

/** A bound on the years query (one read per year); a clinic's archive never spans this many. */
const MAX_YEARS = 100;

/** The statuses a document may become ready from; `failed` is final. */
const COMPLETABLE: readonly DocumentStatus[] = ['received', 'rendering', 'awaiting_upload'];

/**
 * How often completeVersion re-reads and tries again after a concurrent completion or withdrawal changed what it
 * read. Each retry sees the other writer's result, so two racing versions settle within two attempts.
 */
const COMPLETE_ATTEMPTS = 3;

const GSI1_ATTRIBUTES = ['GSI1PK', 'GSI1SK'] as const;
const NEW_ITEM: Expression = { expression: 'attribute_not_exists(PK)' };
const EXISTS: Expression = { expression: 'attribute_exists(PK)' };

/** The `INVNO#<no>` item: which version of an invoice number is current. */
interface CurrentVersionPointer {
  readonly documentId: string;
  readonly version: number;
}

function statusIn(statuses: readonly DocumentStatus[]): Expression {
  if (statuses.length === 0) throw new Error('A status change needs at least one status to start from.');
  const values = Object.fromEntries(statuses.map((status, index) => [`:from${index}`, status]));
  return { expression: `#status IN (${Object.keys(values).join(', ')})`, values, names: { '#status': 'status' } };
}

/** Lets a failed condition through to be explained; a concurrent write or anything else passes on as it is. */
function ensureConditionFailed(error: unknown): asserts error is ConflictError {
  if (!(error instanceof ConflictError) || error instanceof ConcurrentWriteError) throw error;
}

/**
 * The stored item of a document: its key, the admin index entry, and the contacts' sparse index entry while it is
 * visible. Exported for seeding large lists directly (benchmarks), so those items are exactly what ingest writes.
 */
export function documentItem(tenantId: string, document: InvoiceDocument): Item {
  return {
    ...document,
    ...keys.document(tenantId, document.customerId, document.id),
    ...keys.allDocumentsIndex(tenantId, document.customerId, document.invoiceDate, document.id),
    ...(isVisibleToContacts(document)
      ? keys.visibleDocumentsIndex(tenantId, document.customerId, document.invoiceDate, document.id)
      : {}),
  };
}

/**
 * Documents of one tenant. Contacts' lists are read from the sparse GSI1 that holds only visible documents, so
 * a held, hidden, withdrawn or superseded document cannot leak into a list through a forgotten filter. Every
 * transition is an UpdateItem conditional on the state it starts from (never a Put), so download receipts written
 * meanwhile survive it.
 */
export const dynamoDbDocumentRepository =
  (table: DynamoDbTable) =>
  (tenantId: string): DocumentRepository => {
    const documentKey = (customerId: string, documentId: string) => keys.document(tenantId, customerId, documentId);
    const visibleIndex = (document: InvoiceDocument) =>
      keys.visibleDocumentsIndex(tenantId, document.customerId, document.invoiceDate, document.id);

    const toItem = (document: InvoiceDocument): Item => documentItem(tenantId, document);

    const read = async (customerId: string, documentId: string) => {
      const item = await table.get(documentKey(customerId, documentId), { consistent: true });
      return item ? withoutKeys<InvoiceDocument>(item) : undefined;
    };

    const readPointer = async (customerId: string, invoiceNumber: string) => {
      const item = await table.get(keys.invoiceNumber(tenantId, customerId, invoiceNumber), { consistent: true });
      return item ? { documentId: String(item.documentId), version: Number(item.version) } : undefined;
    };

    /** SET status ready with the PDF facts and the final visibility; the sparse index follows the visibility. */
    const readyUpdate = (
      document: InvoiceDocument,
      pdf: ReadyPdf,
      outcome: {
        readonly visibility: DocumentVisibility;
        readonly supersededBy?: string | undefined;
        readonly supersedes?: string | undefined;
      },
    ): Expression => {
      const visible = isVisibleToContacts({ status: 'ready', visibility: outcome.visibility });
      return updateExpression({
        set: {
          status: 'ready',
          contentSha256: pdf.contentSha256,
          sizeBytes: pdf.sizeBytes,
          pageCount: pdf.pageCount,
          sentAt: pdf.sentAt,
          visibility: outcome.visibility,
          supersededBy: outcome.supersededBy,
          supersedes: outcome.supersedes,
          ...(visible ? visibleIndex(document) : {}),
        },
        remove: ['failureReason', ...(visible ? [] : GSI1_ATTRIBUTES)],
      });
    };

    /**
     * The document is still as read: completable, and with the visibility the update was computed from (a
     * concurrent withdrawal must not be undone, nor a withdrawn document put into the index).
     */
    const stillAsRead = (document: InvoiceDocument): Expression =>
      allOf(statusIn(COMPLETABLE), {
        expression: '#visibility = :readVisibility',
        values: { ':readVisibility': document.visibility },
        names: { '#visibility': 'visibility' },
      });

    /** The pointer has not moved since it was read: a concurrent completion makes this attempt re-read. */
    const pointerAsRead = (pointer: CurrentVersionPointer | undefined): Expression =>
      pointer
        ? {
            expression: 'documentId = :readDocumentId AND version = :readVersion',
            values: { ':readDocumentId': pointer.documentId, ':readVersion': pointer.version },
          }
        : NEW_ITEM;

    /** Ready, current, and the previous current version superseded: one transaction. */
    const completeAsCurrent = async (
      document: InvoiceDocument,
      pdf: ReadyPdf,
      pointer: CurrentVersionPointer | undefined,
    ): Promise<CompletedVersion> => {
      const { customerId } = document;
      const previousId = pointer?.documentId === document.id ? undefined : pointer?.documentId;
      await table.transact([
        table.updateRequest(
          documentKey(customerId, document.id),
          readyUpdate(document, pdf, { visibility: document.visibility, supersedes: previousId }),
          stillAsRead(document),
        ),
        table.putRequest(
          {
            ...keys.invoiceNumber(tenantId, customerId, document.invoiceNumber),
            documentId: document.id,
            version: document.version,
          },
          pointerAsRead(pointer),
        ),
        ...(previousId
          ? [
              table.updateRequest(
                documentKey(customerId, previousId),
                updateExpression({
                  set: { visibility: 'superseded', supersededBy: document.id },
                  remove: GSI1_ATTRIBUTES,
                }),
                EXISTS,
              ),
            ]
          : []),
      ]);
      const [completed, superseded] = await Promise.all([
        read(customerId, document.id),
        previousId ? read(customerId, previousId) : undefined,
      ]);
      return { document: completed ?? document, ...(superseded ? { superseded } : {}) };
    };

    /** A newer version is already current (versions may finish out of order): ready, but never shown. */
    const completeAsSuperseded = async (
      document: InvoiceDocument,
      pdf: ReadyPdf,
      newerId: string,
    ): Promise<CompletedVersion> => {
      const item = await table.updateAndGet(
        documentKey(document.customerId, document.id),
        readyUpdate(document, pdf, { visibility: 'superseded', supersededBy: newerId }),
        stillAsRead(document),
      );
      return { document: withoutKeys<InvoiceDocument>(item) };
    };

    /** One attempt; undefined when a concurrent write changed what it read (the caller reads again). */
    const tryComplete = async (
      customerId: string,
      documentId: string,
      pdf: ReadyPdf,
    ): Promise<CompletedVersion | undefined> => {
      const document = await read(customerId, documentId);
      if (!document) throw new ConflictError('The document does not exist.');
      if (document.status === 'ready') return { document };
      if (!COMPLETABLE.includes(document.status)) {
        throw new ConflictError(`The document has status ${document.status} and cannot become ready.`);
      }
      const pointer = await readPointer(customerId, document.invoiceNumber);
      const newer = pointer && pointer.documentId !== document.id && pointer.version >= document.version;
      try {
        return await (newer
          ? completeAsSuperseded(document, pdf, pointer.documentId)
          : completeAsCurrent(document, pdf, pointer));
      } catch (error) {
        if (error instanceof ConflictError) return undefined;
        throw error;
      }
    };

    return {
      async receive(document) {
        await table
          .transact([
            table.putRequest(toItem(document), NEW_ITEM),
            table.putRequest(
              {
                ...keys.versionClaim(tenantId, document.customerId, document.invoiceNumber, document.version),
                documentId: document.id,
              },
              NEW_ITEM,
            ),
            table.putRequest(
              { ...keys.documentLocator(tenantId, document.id), customerId: document.customerId },
              NEW_ITEM,
            ),
          ])
          .catch(
            rethrowConflictAs(
              `Version ${document.version} of invoice number ${document.invoiceNumber} or document id ${document.id} has already been received.`,
            ),
          );
      },

      async get(customerId, documentId) {
        const item = await table.get(documentKey(customerId, documentId));
        return item ? withoutKeys<InvoiceDocument>(item) : undefined;
      },

      async locate(documentId) {
        const locator = await table.get(keys.documentLocator(tenantId, documentId), { consistent: true });
        return locator ? read(String(locator.customerId), documentId) : undefined;
      },

      async findVersion(customerId, invoiceNumber, version) {
        const claim = await table.get(keys.versionClaim(tenantId, customerId, invoiceNumber, version), {
          consistent: true,
        });
        return claim ? read(customerId, String(claim.documentId)) : undefined;
      },

      async changeStatus(customerId, documentId, from, to) {
        // A document that is not ready is never visible, so the sparse index entry goes (if it somehow existed).
        const change = updateExpression({
          set: { status: to.status, failureReason: to.failureReason },
          remove: [...(to.failureReason === undefined ? ['failureReason'] : []), ...GSI1_ATTRIBUTES],
        });
        try {
          return withoutKeys<InvoiceDocument>(
            await table.updateAndGet(documentKey(customerId, documentId), change, statusIn(from)),
          );
        } catch (error) {
          ensureConditionFailed(error);
          const current = await read(customerId, documentId);
          throw new ConflictError(
            current
              ? `The document has status ${current.status}, expected ${from.join(' or ')}.`
              : 'The document does not exist.',
            { cause: error },
          );
        }
      },

      async completeVersion(customerId, documentId, pdf) {
        for (let attempt = 1; attempt <= COMPLETE_ATTEMPTS; attempt += 1) {
          const completed = await tryComplete(customerId, documentId, pdf);
          if (completed) return completed;
        }
        throw new ConflictError(
          `The document could not be completed: other writes kept changing it (${COMPLETE_ATTEMPTS} attempts).`,
        );
      },

      async withdraw(customerId, documentId, withdrawal) {
        try {
          const item = await table.updateAndGet(
            documentKey(customerId, documentId),
            updateExpression({
              set: { visibility: 'withdrawn', withdrawal: { at: withdrawal.at, reason: withdrawal.reason } },
              remove: GSI1_ATTRIBUTES,
            }),
            {
              expression: 'attribute_exists(PK) AND NOT (#visibility IN (:withdrawn, :superseded))',
              values: { ':withdrawn': 'withdrawn', ':superseded': 'superseded' },
              names: { '#visibility': 'visibility' },
            },
          );
          return withoutKeys<InvoiceDocument>(item);
        } catch (error) {
          ensureConditionFailed(error);
          return alreadyWithdrawn(await read(customerId, documentId), error);
        }
      },

      async findByInvoiceNumber(customerId, invoiceNumber) {
        const pointer = await readPointer(customerId, invoiceNumber);
        return pointer ? read(customerId, pointer.documentId) : undefined;
      },

      async listVisible(customer, query) {
        const customerId = customer.id;
        const limit = query.limit;
        const range = query.invoiceDates;
        const cursor = listCursor(tenantId, customerId, query);
        const filter = combinedFilter(
          query.downloadState === undefined
            ? undefined
            : query.downloadState === 'downloaded'
              ? 'attribute_exists(firstDownload)'
              : 'attribute_not_exists(firstDownload)',
          shownTypesFilter(customer),
        );
        const filtered = filter !== undefined;
        const input = {
          IndexName: 'GSI1',
          KeyConditionExpression: range
            ? 'GSI1PK = :partition AND GSI1SK BETWEEN :from AND :to'
            : 'GSI1PK = :partition',
          ExpressionAttributeValues: {
            ':partition': { S: visibleDocumentsPartition(tenantId, customerId) },
            // `#` sorts below the UUID's characters and `~` above them: the whole of both end days is inside.
            ...(range ? { ':from': { S: `${range.from}#` }, ':to': { S: `${range.to}#~` } } : {}),
            ...filter?.values,
          },
          ...(filter ? { FilterExpression: filter.expression } : {}),
          ScanIndexForward: query.order === 'oldest',
        };
        const items: Item[] = [];
        let startKey = query.cursor === undefined ? undefined : cursor.startKey(query.cursor);
        let read = 0;
        let next: string | undefined;
        // Unfiltered, one Query of `limit` entries is the page. Filtered, DynamoDB's Limit counts entries read, not
        // matches, so batches are read until the page is full, the list ends or the read budget is spent.
        while (true) {
          const batch = filtered ? Math.min(FILTERED_BATCH, MAX_READ_PER_PAGE - read) : limit - items.length;
          const result = await table.query({ ...input, Limit: batch }, startKey);
          read += batch;
          const room = limit - items.length;
          items.push(...result.items.slice(0, room));
          startKey = result.lastEvaluatedKey;
          if (result.items.length > room) {
            // The batch matched more than the page holds: continue right after the last one shown.
            next = String(items.at(-1)?.GSI1SK);
            break;
          }
          if (!startKey) break;
          if (items.length === limit || read >= MAX_READ_PER_PAGE) {
            next = String(startKey.GSI1SK);
            break;
          }
        }
        return {
          items: items.map((item) => withoutKeys<InvoiceDocument>(item)),
          ...(next === undefined ? {} : { nextCursor: cursor.encode(next) }),
        };
      },

      async visibleYears(customer) {
        // Each Query reads one index entry: the newest below the previous year found. So the cost is one tiny read
        // per year that has documents, however many documents there are, and nothing has to be kept in step on
        // publish, supersede and withdraw (per-year counters would need a write in each of those transactions, and
        // counts are all they would add). Years without documents never appear. When a type is not shown, the
        // entries of that type are read past (in batches, as the list does) until one that is shown turns up.
        const partition = visibleDocumentsPartition(tenantId, customer.id);
        const types = shownTypesFilter(customer);
        const years: number[] = [];
        let below: string | undefined;
        let startKey: Item | undefined;
        while (years.length < MAX_YEARS) {
          const result = await table.query(
            {
              IndexName: 'GSI1',
              KeyConditionExpression:
                below === undefined ? 'GSI1PK = :partition' : 'GSI1PK = :partition AND GSI1SK < :below',
              ExpressionAttributeValues: {
                ':partition': { S: partition },
                ...(below === undefined ? {} : { ':below': { S: below } }),
                ...types?.values,
              },
              ...(types ? { FilterExpression: types.expression } : {}),
              ProjectionExpression: 'GSI1SK',
              ScanIndexForward: false,
              Limit: types ? FILTERED_BATCH : 1,
            },
            startKey,
          );
          const sortKey = result.items[0]?.GSI1SK;
          if (typeof sortKey !== 'string') {
            // Nothing shown in this batch: read on below it, or stop at the end of the list.
            startKey = result.lastEvaluatedKey;
            if (!startKey) break;
            continue;
          }
          const year = sortKey.slice(0, 4);
          years.push(Number(year));
          // `<year>-` sorts below every date of that year and above every date of the years before.
          below = `${year}-`;
          startKey = undefined;
        }
        return years;
      },

      async listAll(customerId, query) {
        const filter = combinedFilter(
          query.notDownloaded === true ? 'attribute_not_exists(firstDownload)' : undefined,
          query.documentType === undefined ? undefined : typesFilter([query.documentType]),
        );
        const filtered = filter !== undefined;
        const cursor = listCursor(
          tenantId,
          customerId,
          { ...query, ...(query.notDownloaded === true ? { downloadState: 'new' } : {}) },
          'all',
          query.documentType,
        );
        const items: Item[] = [];
        let startKey = query.cursor === undefined ? undefined : cursor.startKey(query.cursor);
        let read = 0;
        let next: string | undefined;
        // Unfiltered, one Query of `limit` entries is the page; filtered, batches until the page is full, the list
        // ends or the read budget is spent (as listVisible does).
        while (true) {
          const batch = filtered ? Math.min(FILTERED_BATCH, MAX_READ_PER_PAGE - read) : query.limit - items.length;
          const result = await table.query(
            {
              IndexName: 'GSI2',
              KeyConditionExpression: 'GSI2PK = :partition',
              ExpressionAttributeValues: {
                ':partition': { S: allDocumentsPartition(tenantId, customerId) },
                ...filter?.values,
              },
              ...(filter ? { FilterExpression: filter.expression } : {}),
              ScanIndexForward: false,
              Limit: batch,
            },
            startKey,
          );
          read += batch;
          const room = query.limit - items.length;
          items.push(...result.items.slice(0, room));
          startKey = result.lastEvaluatedKey;
          if (result.items.length > room) {
            next = String(items.at(-1)?.GSI2SK);
            break;
          }
          if (!startKey) break;
          if (items.length === query.limit || read >= MAX_READ_PER_PAGE) {
            next = String(startKey.GSI2SK);
            break;
          }
        }
        return {
          items: items.map((item) => withoutKeys<InvoiceDocument>(item)),
          ...(next === undefined ? {} : { nextCursor: cursor.encode(next) }),
        };
      },

      async setVisibility(customerId, documentId, visibility) {
        // Read, then write on the condition that status and visibility are still what was read: whether the
        // contacts' index entry is written or removed depends on both, and a render completing meanwhile must not
        // leave a published document out of the list (or a hidden one in it).
        for (let attempt = 1; ; attempt += 1) {
          const current = await read(customerId, documentId);
          if (!current) throw new NotFoundError('The document');
          if (current.visibility === 'withdrawn' || current.visibility === 'superseded') {
            throw new ConflictError(
              current.visibility === 'withdrawn'
                ? 'The document was withdrawn by the practice system; it cannot be shown again.'
                : 'A newer version replaced this document; change the newer one instead.',
              { code: `document_${current.visibility}` },
            );
          }
          if (current.visibility === visibility) return current;
          const next = { ...current, visibility };
          try {
            const item = await table.updateAndGet(
              documentKey(customerId, documentId),
              isVisibleToContacts(next)
                ? updateExpression({
                    set: {
                      visibility,
                      ...visibleIndex(current),
                    },
                  })
                : updateExpression({ set: { visibility }, remove: GSI1_ATTRIBUTES }),
              allOf(EXISTS, {
                expression: '#visibility = :readVisibility AND #status = :readStatus',
                values: { ':readVisibility': current.visibility, ':readStatus': current.status },
                names: { '#visibility': 'visibility', '#status': 'status' },
              }),
            );
            return withoutKeys<InvoiceDocument>(item);
          } catch (error) {
            ensureConditionFailed(error);
            if (attempt >= COMPLETE_ATTEMPTS) throw error;
          }
        }
      },

      async listDownloads(customerId, documentId) {
        const result = await table.query({
          KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
          ExpressionAttributeValues: {
            ':pk': { S: documentKey(customerId, documentId).PK },
            ':prefix': { S: keys.downloadReceiptsPrefix(documentId) },
          },
          ScanIndexForward: false,
          Limit: MAX_RECEIPTS_LISTED,
        });
        return result.items.map(({ at, contactId, contactName }) => ({
          at: String(at),
          contactId: String(contactId),
          contactName: String(contactName),
        }));
      },

      async recordDownload(customerId, documentId, receipt: DownloadReceipt) {
        await table
          .transact([
            table.putRequest({
              ...keys.downloadReceipt(tenantId, customerId, documentId, receipt.at, receipt.contactId),
              documentId,
              ...receipt,
            }),
            table.updateRequest(
              documentKey(customerId, documentId),
              {
                expression: 'SET lastDownload = :receipt, firstDownload = if_not_exists(firstDownload, :receipt)',
                values: {
                  ':receipt': { at: receipt.at, contactId: receipt.contactId, contactName: receipt.contactName },
                },
              },
              EXISTS,
            ),
          ])
          .catch(rethrowConflictAs('The document no longer exists.'));
      },
    };
  };

/** Why a withdrawal's condition failed: already withdrawn (fine, idempotent), superseded, or gone. */
function alreadyWithdrawn(current: InvoiceDocument | undefined, cause: unknown): InvoiceDocument {
  if (current?.visibility === 'withdrawn') return current;
  if (current?.visibility === 'superseded') {
    throw new ConflictError(
      `The document was superseded by document ${current.supersededBy ?? 'unknown'}; withdraw that one instead.`,
      {
        code: 'document_superseded',
        cause,
        ...(current.supersededBy ? { details: { supersededBy: current.supersededBy } } : {}),
      },
    );
  }
  throw new ConflictError(current ? 'The document changed meanwhile; try again.' : 'The document does not exist.', {
    cause,
  });
}

/**
 * A cursor is `<tag>.<index sort key of the last entry read>`, base64url-encoded. The tag is a hash of the tenant,
 * customer, filter and order, so a cursor only continues the list it came from: one from another filter or
 * customer is refused instead of silently continuing a different list. Only the position comes from the client,
 * and it must lie inside the filter's range; the partition is always the caller's own, so a forged cursor can at
 * worst skip within the caller's own list.
 */
/** A FilterExpression with its values in the low-level form a Query takes. */
interface QueryFilter {
  readonly expression: string;
  readonly values: Record<string, { S: string }>;
}

/** `documentType IN (…)` for the given types. */
function typesFilter(types: readonly DocumentType[]): QueryFilter {
  const names = types.map((_, index) => `:documentType${index}`);
  return {
    expression: `documentType IN (${names.join(', ')})`,
    values: Object.fromEntries(types.map((type, index) => [names[index], { S: type }])),
  };
}

/**
 * The contacts' half of isShownToContacts that the index does not know: the customer's shown types, as a filter;
 * none when every type is shown. The types are not part of the list's cursor: a choice changed while a contact
 * pages on simply applies from the next page (the cursor is a position), instead of failing their list.
 */
function shownTypesFilter(customer: ContactsCustomer): QueryFilter | undefined {
  const shown = shownDocumentTypes(customer);
  return shown.length === DOCUMENT_TYPES.length ? undefined : typesFilter(shown);
}

function combinedFilter(downloadCondition: string | undefined, types: QueryFilter | undefined) {
  const parts = [downloadCondition, types?.expression].filter((part) => part !== undefined);
  if (parts.length === 0) return undefined;
  return { expression: parts.map((part) => `(${part})`).join(' AND '), values: types?.values ?? {} };
}

/**
 * The cursor of a list: the last index sort key, tagged with what the list is (clinic, customer, index, filter,
 * order), so a cursor of another list, or an altered one, is refused. `all` is the admin's index of every document,
 * `visible` the contacts' sparse one.
 */
function listCursor(
  tenantId: string,
  customerId: string,
  query: VisibleDocumentsQuery,
  index: 'visible' | 'all' = 'visible',
  documentType?: DocumentType,
) {
  const range = query.invoiceDates;
  const tag = createHash('sha256')
    .update(
      JSON.stringify([
        tenantId,
        customerId,
        range?.from,
        range?.to,
        query.downloadState,
        query.order ?? 'newest',
        ...(index === 'all' ? ['all', documentType] : []),
      ]),
    )
    .digest('base64url')
    .slice(0, CURSOR_TAG_LENGTH);
  const invalid = () =>
    new ValidationError('Invalid query: cursor.', {
      fields: { cursor: 'is not a cursor of this list (another filter, order or customer, or altered)' },
    });
  return {
    encode: (sortKey: string) => Buffer.from(`${tag}.${sortKey}`).toString('base64url'),
    startKey(cursor: string): Item {
      const decoded = Buffer.from(cursor, 'base64url').toString('utf8');
      const sortKey = decoded.slice(CURSOR_TAG_LENGTH + 1);
      if (decoded.slice(0, CURSOR_TAG_LENGTH + 1) !== `${tag}.` || !CURSOR_SORT_KEY.test(sortKey)) throw invalid();
      const [invoiceDate = '', documentId = ''] = sortKey.split('#');
      // DynamoDB refuses a start key outside the key condition; that must be a 400, not a 500.
      if (range && (invoiceDate < range.from || invoiceDate > range.to)) throw invalid();
      return {
        ...keys.document(tenantId, customerId, documentId),
        ...(index === 'all'
          ? keys.allDocumentsIndex(tenantId, customerId, invoiceDate, documentId)
          : keys.visibleDocumentsIndex(tenantId, customerId, invoiceDate, documentId)),
      };
    },
  };
}
