import type { ApolloServerPlugin, GraphQLRequestContextDidEncounterErrors, GraphQLRequestListener } from '@apollo/server';
import { Plugin } from '@nestjs/apollo';
import { Injectable } from '@nestjs/common';
import { ModulesContainer } from '@nestjs/core';
import {
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  getOperationAST,
  type GraphQLError,
  Kind,
  type SelectionSetNode,
  type ValueNode,
} from 'graphql';
import { PinoLogger } from 'nestjs-pino';
import { randomUUID } from 'node:crypto';
import { decide } from '@libs/authorization/ability.js';
import { AbilitiesService } from '@libs/authorization/abilities.service.js';
import type { Actor, RequestWithActor } from '@libs/authorization/actor.js';
import { declaredOperationPolicies, type RequiredPolicy } from '@libs/authorization/require-policy.decorator.js';
import { DataAccess } from '@libs/database/data-access.js';
import { createErrorFormatter } from '@libs/graphql/error-formatter.js';
import type { AuditEventInput } from './audit-event.js';
import { AuditLedger } from './audit-ledger.js';

/** A root field of the refused operation: the operation as audit actions name it (`responderLookup`). */
export interface RefusedRootField {
  /** `Query.responderLookup`, as resolvers are registered. */
  key: string;
  fieldName: string;
  node: FieldNode;
}

/**
 * The root fields a document's operation asks for, through inline fragments and fragment spreads
 * too (a field hidden in `...on Query { }` is asked for all the same). Empty when the operation
 * cannot be told (several operations and no operationName).
 */
export function refusedRootFields(document: DocumentNode, operationName: string | null | undefined): RefusedRootField[] {
  const operation = getOperationAST(document, operationName ?? undefined);
  if (!operation) return [];
  const rootType = operation.operation === 'mutation' ? 'Mutation' : operation.operation === 'subscription' ? 'Subscription' : 'Query';
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  const found: RefusedRootField[] = [];
  const visited = new Set<string>();
  const collect = (selectionSet: SelectionSetNode) => {
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.FIELD) {
        if (!selection.name.value.startsWith('__')) found.push({ key: `${rootType}.${selection.name.value}`, fieldName: selection.name.value, node: selection });
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        collect(selection.selectionSet);
      } else {
        const fragment = fragments.get(selection.name.value);
        if (fragment && !visited.has(fragment.name.value)) {
          visited.add(fragment.name.value);
          collect(fragment.selectionSet);
        }
      }
    }
  };
  collect(operation.selectionSet);
  return found;
}

/**
 * The input path of a literal the validation refused (`dateOfBirth`, `careTeam.0.phone`), relative
 * to the argument as class-validator names it; null when the node is not inside an argument.
 * Only names of the schema's own fields and list positions are returned, never a value (C3).
 */
export function inputPathOf(target: unknown, fields: FieldNode[]): string | null {
  const search = (value: ValueNode, path: Array<string | number>): Array<string | number> | null => {
    if (value === target) return path;
    if (value.kind === Kind.OBJECT) {
      for (const field of value.fields) {
        if (field === target) return [...path, field.name.value];
        const inner = search(field.value, [...path, field.name.value]);
        if (inner) return inner;
      }
    } else if (value.kind === Kind.LIST) {
      for (const [index, item] of value.values.entries()) {
        const inner = search(item, [...path, index]);
        if (inner) return inner;
      }
    }
    return null;
  };
  for (const field of fields) {
    for (const argument of field.arguments ?? []) {
      const path = argument === target ? [argument.name.value] : search(argument.value, [argument.name.value]);
      // `input.dateOfBirth` is `dateOfBirth`, as the ValidationPipe names the fields of an input.
      if (path) return (path.length > 1 ? path.slice(1) : path).join('.');
    }
  }
  return null;
}

const formatAsClientSeesIt = createErrorFormatter();

/**
 * Field names and reason of a refused request, as the client is told them (the one formatter),
 * plus, for a literal written in the query, the field the validation pointed at.
 */
export function refusalOf(errors: readonly GraphQLError[], rootFields: FieldNode[]): { fields: string[]; reason: string | null } {
  const fields = new Set<string>();
  let reason: string | null = null;
  for (const error of errors) {
    const formatted = formatAsClientSeesIt(error.toJSON(), error);
    const named = Array.isArray(formatted.extensions?.fields) ? (formatted.extensions.fields as string[]) : [];
    for (const field of named) fields.add(field);
    if (named.length === 0) {
      for (const node of error.nodes ?? []) {
        const path = inputPathOf(node, rootFields);
        if (path) fields.add(path);
      }
    }
    if (reason === null && typeof formatted.extensions?.reason === 'string') reason = formatted.extensions.reason;
  }
  return { fields: [...fields].sort(), reason };
}

type Context = { req?: RequestWithActor };

/**
 * Requests GraphQL refuses before any resolver runs — a missing or unknown field, an enum value
 * that does not exist, an impossible date, a query limit — never reach the PolicyGuard, the
 * ValidationPipe or the GraphqlRefusalAuditFilter. They are refusals all the same (C16, C8): for an
 * authenticated caller, each operation the request named is audited here exactly as the filter
 * audits a class-validator refusal — REFUSED with field names and reason, never values (C3) — and
 * so counts toward the per-person rate limit, which counts the audited attempts. An operation the
 * caller may not use at all is audited DENIED, as the guard would have. An anonymous request never
 * gets here (authentication refuses it first) and appends nothing.
 */
@Plugin()
@Injectable()
export class GraphqlRefusalAuditPlugin implements ApolloServerPlugin<Context> {
  private policies?: Map<string, RequiredPolicy | undefined>;

  constructor(
    private readonly modules: ModulesContainer,
    private readonly abilities: AbilitiesService,
    private readonly data: DataAccess,
    private readonly ledger: AuditLedger,
    private readonly logger: PinoLogger,
  ) {
    this.logger.setContext('GraphqlRefusalAuditPlugin');
  }

  async requestDidStart(): Promise<GraphQLRequestListener<Context>> {
    return { didEncounterErrors: (context) => this.auditRefusal(context) };
  }

  private async auditRefusal(context: GraphQLRequestContextDidEncounterErrors<Context>): Promise<void> {
    const request = context.contextValue?.req;
    const principal = request?.principal;
    if (!principal || !context.document) return;
    // Errors with a path come from a resolver that ran: the guard or the filter audited them.
    const refusals = context.errors.filter((error) => !error.path);
    if (refusals.length === 0) return;
    const rootFields = refusedRootFields(context.document, context.request.operationName);
    const operations = new Map<string, { fieldName: string; policy: RequiredPolicy }>();
    for (const field of rootFields) {
      const policy = this.policyOf(field.key);
      if (policy && !operations.has(field.fieldName)) operations.set(field.fieldName, { fieldName: field.fieldName, policy });
    }
    if (operations.size === 0) return;
    const { fields, reason } = refusalOf(refusals, rootFields.map((f) => f.node));
    try {
      const ability = await this.abilities.abilityFor(principal);
      const requestId = String(request.id ?? randomUUID());
      for (const { fieldName, policy } of operations.values()) {
        // One attempt per operation named, under its own policy decision, counted like any other
        // attempt at it (the rate limit).
        const decision = decide(ability, policy.action, policy.subject);
        const actor: Actor = { principal, ability, decision, requestId };
        const event: AuditEventInput = decision.allowed ? { action: fieldName, outcome: 'REFUSED', details: { fields, reason } } : { action: fieldName, outcome: 'DENIED' };
        await this.data.forCaller(actor).transaction((db) => this.ledger.append(db, event));
      }
    } catch {
      // The caller is refused either way; a refusal that could not be recorded is an alert.
      this.logger.error({ actions: [...operations.keys()] }, 'could not audit a refused operation');
    }
  }

  /** The @RequirePolicy of each Query and Mutation resolver, read once from the application's providers. */
  private policyOf(key: string): RequiredPolicy | undefined {
    this.policies ??= declaredOperationPolicies(this.modules);
    return this.policies.get(key);
  }
}
