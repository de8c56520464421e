import { rulesToAST } from '@casl/ability/extra';
import type { AppAbility } from './ability.js';

/** A WHERE fragment with positional parameters starting after `offset`. */
export interface SqlScope {
  sql: string;
  params: unknown[];
}

interface AstNode {
  operator: string;
  field?: string;
  value: unknown;
}

/**
 * Turns the caller's CASL conditions for (action, subject) into SQL, so list queries filter rows
 * in the database (house rule 3). `columns` maps each condition field to a trusted SQL
 * expression; a field or operator it does not know fails closed. No rule at all gives `false`.
 */
/** A column, or an array column whose condition means "contains". */
export type ScopeColumn = string | { arrayContains: string };

export function sqlScope(ability: AppAbility, action: string, subjectType: string, columns: Record<string, ScopeColumn>, offset = 0): SqlScope {
  if (!ability.can(action, subjectType)) return { sql: 'false', params: [] };
  const ast = rulesToAST(ability, action, subjectType) as AstNode | null;
  const params: unknown[] = [];
  const bind = (value: unknown) => {
    params.push(value);
    return `$${offset + params.length}`;
  };
  const render = (node: AstNode): string => {
    switch (node.operator) {
      case 'and':
      case 'or': {
        const parts = (node.value as AstNode[]).map(render);
        if (parts.length === 0) return node.operator === 'and' ? 'true' : 'false';
        return `(${parts.join(node.operator === 'and' ? ' AND ' : ' OR ')})`;
      }
      case 'not':
        return `NOT (${render(node.value as AstNode)})`;
      case 'eq':
      case 'ne':
      case 'in':
      case 'nin': {
        const mapped = node.field ? columns[node.field] : undefined;
        if (!mapped) throw new Error(`policy condition on an unmapped field: ${node.field ?? '?'}`);
        if (typeof mapped === 'object') {
          // Mongo semantics on an array field: equality means "the array contains the value".
          if (node.operator === 'eq') return `${bind(node.value)} = ANY(${mapped.arrayContains})`;
          if (node.operator === 'in') return `${mapped.arrayContains} && ${bind(node.value)}`;
          throw new Error(`policy condition operator ${node.operator} not supported on an array field`);
        }
        const column = mapped;
        if (node.operator === 'eq') return `${column} = ${bind(node.value)}`;
        if (node.operator === 'ne') return `${column} <> ${bind(node.value)}`;
        if (node.operator === 'in') return `${column} = ANY(${bind(node.value)})`;
        return `NOT (${column} = ANY(${bind(node.value)}))`;
      }
      default:
        throw new Error(`policy condition operator not supported in queries: ${node.operator}`);
    }
  };
  if (!ast) return { sql: 'true', params: [] };
  return { sql: render(ast), params };
}
