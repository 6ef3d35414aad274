import type { Template } from 'aws-cdk-lib/assertions';

/**
 * The one resource of `type` whose logical id starts with `prefix` (CDK appends a hash to the construct path, e.g.
 * `IngestFunction83726A21`). Throws unless there is exactly one, so a test never asserts on the wrong resource.
 */
export function propertiesOf(template: Template, type: string, prefix: string) {
  const matches = Object.entries(template.findResources(type)).filter(([logicalId]) => logicalId.startsWith(prefix));
  if (matches.length !== 1) {
    throw new Error(`Expected one ${type} named ${prefix}…, found ${matches.map(([id]) => id).join(', ') || 'none'}`);
  }
  return matches[0]?.[1].Properties;
}

export interface Statement {
  readonly Effect: string;
  readonly Action: string | string[];
  readonly Resource: unknown;
}

export const actionsOf = (statement: Statement): string[] =>
  Array.isArray(statement.Action) ? statement.Action : [statement.Action];

const resourcesOf = (statement: Statement): unknown[] =>
  Array.isArray(statement.Resource) ? statement.Resource : [statement.Resource];

/** The statements of every policy of `type` in the template. */
export function statementsOf(template: Template, type: 'AWS::IAM::Policy' | 'AWS::IAM::ManagedPolicy'): Statement[] {
  return Object.values(template.findResources(type)).flatMap(
    (policy) => policy.Properties.PolicyDocument.Statement as Statement[],
  );
}

/** The statements of one policy (see {@link propertiesOf} for `prefix`). */
export function statementsOfPolicy(
  template: Template,
  type: 'AWS::IAM::Policy' | 'AWS::IAM::ManagedPolicy',
  prefix: string,
): Statement[] {
  return propertiesOf(template, type, prefix).PolicyDocument.Statement as Statement[];
}

/** Every resource `action` is allowed on in these statements, however CDK grouped them. */
export function resourcesAllowed(statements: readonly Statement[], action: string): unknown[] {
  return statements
    .filter((statement) => statement.Effect === 'Allow' && actionsOf(statement).includes(action))
    .flatMap(resourcesOf);
}
