// Small readers over a synthesized template, keyed by route-table names rather than logical ids.
import type { Template } from 'aws-cdk-lib/assertions';

export interface Statement {
  Effect: string;
  Action: string | string[];
  Resource: unknown;
}

interface Resource {
  Type: string;
  Properties: Record<string, unknown>;
}

export interface AppFunctionResource {
  logicalId: string;
  roleLogicalId: string;
  properties: {
    Runtime: string;
    Architectures: string[];
    Timeout: number;
    MemorySize: number;
    Handler: string;
    Code: unknown;
    LoggingConfig?: { LogGroup?: { Ref: string } };
    Environment: { Variables: Record<string, unknown> };
  };
}

/** Our functions (the ones AppFunction builds), by their route-table name. */
export function appFunctions(template: Template): Map<string, AppFunctionResource> {
  const found = new Map<string, AppFunctionResource>();
  for (const [logicalId, res] of Object.entries(template.findResources('AWS::Lambda::Function'))) {
    const properties = (res as Resource).Properties as AppFunctionResource['properties'] & {
      Role: { 'Fn::GetAtt': [string, string] };
    };
    const name = properties.Environment?.Variables?.APP_FUNCTION_NAME;
    if (typeof name !== 'string') continue;
    found.set(name, { logicalId, roleLogicalId: properties.Role['Fn::GetAtt'][0], properties });
  }
  return found;
}

/** Every statement of every identity policy attached to a role. */
export function roleStatements(template: Template, roleLogicalId: string): Statement[] {
  const statements: Statement[] = [];
  for (const res of Object.values(template.findResources('AWS::IAM::Policy'))) {
    const props = (res as Resource).Properties as {
      Roles?: Array<{ Ref?: string }>;
      PolicyDocument: { Statement: Statement[] };
    };
    if (props.Roles?.some((r) => r.Ref === roleLogicalId)) statements.push(...props.PolicyDocument.Statement);
  }
  return statements;
}

export function actionsOf(statement: Statement): string[] {
  return Array.isArray(statement.Action) ? statement.Action : [statement.Action];
}

export function resourcesOf(statement: Statement): unknown[] {
  return Array.isArray(statement.Resource) ? statement.Resource : [statement.Resource];
}

/** A resource expression rendered to a string, so `Fn::Join`/`Fn::GetAtt` shapes can be matched. */
export function render(value: unknown): string {
  return JSON.stringify(value);
}
