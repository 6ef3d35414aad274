/**
 * Maps items with at most `limit` calls in flight, keeping the input order in the result. Bulk writes use it to
 * stay well inside a Lambda timeout without flooding DynamoDB. The first failure rejects the whole call (the
 * calls already running finish on their own; every caller's writes are idempotent, so a resend completes them).
 */
export async function mapWithConcurrency<T, R>(
  items: readonly T[],
  limit: number,
  map: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next;
      next += 1;
      results[index] = await map(items[index] as T, index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
