import {
  ConditionalCheckFailedException,
  type ConditionCheck,
  type Delete,
  DeleteItemCommand,
  type DynamoDBClient,
  GetItemCommand,
  type Put,
  PutItemCommand,
  QueryCommand,
  type QueryCommandInput,
  TransactionCanceledException,
  TransactionConflictException,
  type TransactWriteItem,
  TransactWriteItemsCommand,
  type Update,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { marshall, type NativeAttributeValue, unmarshall } from '@aws-sdk/util-dynamodb';
import { ConflictError } from '../../domain/errors';
import type { ItemKey } from './keys';

export type Item = Record<string, NativeAttributeValue>;

/** An update or condition expression with its placeholder values in native JS form. */
export interface Expression {
  readonly expression: string;
  readonly values?: Item;
  readonly names?: Record<string, string>;
}

const KEY_ATTRIBUTES = ['PK', 'SK', 'GSI1PK', 'GSI1SK', 'GSI2PK', 'GSI2SK', 'expiresAtEpoch'] as const;

/** Drops key and bookkeeping attributes so repositories return plain domain objects. */
export function withoutKeys<T>(item: Item): T {
  const copy: Item = { ...item };
  for (const attribute of KEY_ATTRIBUTES) delete copy[attribute];
  return copy as T;
}

/**
 * `SET #a = :a, … REMOVE #b, …` for the given attributes. Every attribute goes through a name placeholder, so
 * reserved words (`status`, `state`…) need no special care; undefined values are left out, not written.
 * Conditions combined with it must not use `:<attribute>` placeholders of their own.
 */
export function updateExpression(changes: { readonly set?: Item; readonly remove?: readonly string[] }): Expression {
  const set = Object.entries(changes.set ?? {}).filter(([, value]) => value !== undefined);
  const remove = changes.remove ?? [];
  if (set.length === 0 && remove.length === 0) throw new Error('An update needs at least one attribute to change.');
  const clauses = [
    ...(set.length > 0 ? [`SET ${set.map(([name]) => `#${name} = :${name}`).join(', ')}`] : []),
    ...(remove.length > 0 ? [`REMOVE ${remove.map((name) => `#${name}`).join(', ')}`] : []),
  ];
  return {
    expression: clauses.join(' '),
    values: Object.fromEntries(set.map(([name, value]) => [`:${name}`, value])),
    names: Object.fromEntries([...set.map(([name]) => name), ...remove].map((name) => [`#${name}`, name])),
  };
}

/** A condition that holds when every one of the given conditions holds. */
export function allOf(...conditions: readonly Expression[]): Expression {
  return {
    expression: conditions.map((condition) => `(${condition.expression})`).join(' AND '),
    values: Object.assign({}, ...conditions.map((condition) => condition.values ?? {})),
    names: Object.assign({}, ...conditions.map((condition) => condition.names ?? {})),
  };
}

/**
 * Another transaction held one of the items at the same moment (real DynamoDB does this; the emulator rarely). It is
 * a lost race like a failed condition, so it is a ConflictError to callers that retry, but it says nothing about
 * the items' state, so {@link rethrowConflictAs} does not give it a condition's meaning.
 */
export class ConcurrentWriteError extends ConflictError {
  constructor(cause: unknown) {
    super('Another request changed the same item at the same moment; try again.', { cause });
  }
}

/** The positions of a cancelled transaction's items whose condition failed, so a caller can say which one it was. */
function failedItems(error: TransactionCanceledException): number[] {
  return (error.CancellationReasons ?? []).flatMap((reason, index) =>
    reason.Code === 'ConditionalCheckFailed' ? [index] : [],
  );
}

/**
 * A transaction whose conditions failed, with the positions of the items that failed them, so an adapter can say
 * which rule was broken (a login name taken, a concurrent change) instead of a bare conflict.
 */
export class TransactionConditionError extends ConflictError {
  constructor(
    readonly failedItems: readonly number[],
    cause: unknown,
  ) {
    super('The item changed or already exists.', { cause });
  }
}

function isConcurrentWrite(error: unknown): boolean {
  return (
    error instanceof TransactionConflictException ||
    (error instanceof TransactionCanceledException &&
      (error.CancellationReasons ?? []).some((reason) => reason.Code === 'TransactionConflict'))
  );
}

/** A `.catch` handler that gives a failed condition a message saying what it means here; other errors pass. */
export function rethrowConflictAs(message: string) {
  return (error: unknown): never => {
    if (error instanceof ConflictError && !(error instanceof ConcurrentWriteError)) {
      throw new ConflictError(message, { cause: error });
    }
    throw error;
  };
}

export interface QueryPage {
  readonly items: Item[];
  readonly lastEvaluatedKey: Item | undefined;
}

function placeholders(...expressions: Array<Expression | undefined>) {
  const values = Object.assign({}, ...expressions.map((expression) => expression?.values ?? {})) as Item;
  const names = Object.assign({}, ...expressions.map((expression) => expression?.names ?? {})) as Record<
    string,
    string
  >;
  return {
    ...(Object.keys(values).length > 0 ? { ExpressionAttributeValues: marshall(values) } : {}),
    ...(Object.keys(names).length > 0 ? { ExpressionAttributeNames: names } : {}),
  };
}

/**
 * The single table, seen through native JS values. Translates DynamoDB's condition failures into the domain's
 * ConflictError at this boundary, so use cases never see SDK exceptions.
 */
export class DynamoDbTable {
  constructor(
    private readonly client: DynamoDBClient,
    readonly tableName: string,
  ) {}

  async get(key: ItemKey, options: { consistent?: boolean } = {}): Promise<Item | undefined> {
    const result = await this.client.send(
      new GetItemCommand({
        TableName: this.tableName,
        Key: marshall(key),
        ConsistentRead: options.consistent ?? false,
      }),
    );
    return result.Item ? unmarshall(result.Item) : undefined;
  }

  async put(item: Item, condition?: Expression): Promise<void> {
    await this.translateConflicts(() => this.client.send(new PutItemCommand(this.putInput(item, condition))));
  }

  async update(key: ItemKey, update: Expression, condition?: Expression): Promise<void> {
    await this.translateConflicts(() =>
      this.client.send(new UpdateItemCommand(this.updateInput(key, update, condition))),
    );
  }

  /** Like {@link update}, and returns the whole item as it is after the update. */
  async updateAndGet(key: ItemKey, update: Expression, condition?: Expression): Promise<Item> {
    const result = await this.translateConflicts(() =>
      this.client.send(new UpdateItemCommand({ ...this.updateInput(key, update, condition), ReturnValues: 'ALL_NEW' })),
    );
    return unmarshall(result.Attributes ?? {});
  }

  async delete(key: ItemKey, condition?: Expression): Promise<void> {
    await this.translateConflicts(() =>
      this.client.send(
        new DeleteItemCommand({
          TableName: this.tableName,
          Key: marshall(key),
          ...(condition ? { ConditionExpression: condition.expression } : {}),
          ...placeholders(condition),
        }),
      ),
    );
  }

  /**
   * Deletes the item if the condition holds and returns it as it was; undefined if the condition failed (or the item
   * was absent), with nothing deleted. One request, so two parallel callers can never both get the same item.
   */
  async deleteIfAndGet(key: ItemKey, condition: Expression): Promise<Item | undefined> {
    try {
      const result = await this.client.send(
        new DeleteItemCommand({
          TableName: this.tableName,
          Key: marshall(key),
          ConditionExpression: condition.expression,
          ...placeholders(condition),
          ReturnValues: 'ALL_OLD',
        }),
      );
      return result.Attributes ? unmarshall(result.Attributes) : undefined;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return undefined;
      throw error;
    }
  }

  async query(input: Omit<QueryCommandInput, 'TableName' | 'ExclusiveStartKey'>, startKey?: Item): Promise<QueryPage> {
    const result = await this.client.send(
      new QueryCommand({
        TableName: this.tableName,
        ...input,
        ...(startKey ? { ExclusiveStartKey: marshall(startKey) } : {}),
      }),
    );
    return {
      items: (result.Items ?? []).map((item) => unmarshall(item)),
      lastEvaluatedKey: result.LastEvaluatedKey ? unmarshall(result.LastEvaluatedKey) : undefined,
    };
  }

  /**
   * All-or-nothing write of several items (built with {@link putRequest} / {@link updateRequest}); a failed
   * condition anywhere aborts all of them.
   */
  async transact(items: readonly TransactWriteItem[]): Promise<void> {
    await this.translateConflicts(() => this.client.send(new TransactWriteItemsCommand({ TransactItems: [...items] })));
  }

  putRequest(item: Item, condition?: Expression): TransactWriteItem {
    return { Put: this.putInput(item, condition) };
  }

  updateRequest(key: ItemKey, update: Expression, condition?: Expression): TransactWriteItem {
    return { Update: this.updateInput(key, update, condition) };
  }

  deleteRequest(key: ItemKey, condition?: Expression): TransactWriteItem {
    const input: Delete = {
      TableName: this.tableName,
      Key: marshall(key),
      ...(condition ? { ConditionExpression: condition.expression } : {}),
      ...placeholders(condition),
    };
    return { Delete: input };
  }

  /**
   * A condition on an item the transaction does not write (e.g. "this login name is nobody's"): the whole transaction
   * fails if it does not hold.
   */
  conditionCheckRequest(key: ItemKey, condition: Expression): TransactWriteItem {
    const input: ConditionCheck = {
      TableName: this.tableName,
      Key: marshall(key),
      ConditionExpression: condition.expression,
      ...placeholders(condition),
    };
    return { ConditionCheck: input };
  }

  private putInput(item: Item, condition?: Expression): Put {
    return {
      TableName: this.tableName,
      Item: marshall(item, { removeUndefinedValues: true }),
      ...(condition ? { ConditionExpression: condition.expression } : {}),
      ...placeholders(condition),
    };
  }

  private updateInput(key: ItemKey, update: Expression, condition?: Expression): Update {
    return {
      TableName: this.tableName,
      Key: marshall(key),
      UpdateExpression: update.expression,
      ...(condition ? { ConditionExpression: condition.expression } : {}),
      ...placeholders(update, condition),
    };
  }

  private async translateConflicts<T>(write: () => Promise<T>): Promise<T> {
    try {
      return await write();
    } catch (error) {
      const conditionFailed =
        error instanceof ConditionalCheckFailedException ||
        (error instanceof TransactionCanceledException &&
          (error.CancellationReasons ?? []).some((reason) => reason.Code === 'ConditionalCheckFailed'));
      if (conditionFailed && error instanceof TransactionCanceledException) {
        throw new TransactionConditionError(failedItems(error), error);
      }
      if (conditionFailed) throw new ConflictError('The item changed or already exists.', { cause: error });
      if (isConcurrentWrite(error)) throw new ConcurrentWriteError(error);
      throw error;
    }
  }
}
