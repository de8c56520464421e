import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { type AppAbility, decide } from '@libs/authorization/ability.js';
import type { Actor } from '@libs/authorization/actor.js';
import { type ScopeColumn, type SqlScope, sqlScope } from '@libs/authorization/sql-scope.js';
import type { POLICY_VOCABULARY, SubjectName } from '@libs/authorization/vocabulary.js';
import type { AuditActor } from '@libs/ledger/audit-event.js';
import type { Sql } from './sql.js';
import { TransactionRunner } from './transaction-runner.js';

/** An action on a subject of the policy vocabulary, `Subject.action`: what a read or write is for. */
export type Permission = { [S in SubjectName]: `${S}.${(typeof POLICY_VOCABULARY)[S]['actions'][number]}` }[SubjectName];

/** Each policy condition field a table can be filtered by, and the SQL expression that holds it. */
export type ScopeColumns = Readonly<Record<string, ScopeColumn>>;

/** Which rows a scope reaches: the caller's ability, or all of them, or none. */
interface RowRule {
  where(permission: Permission, columns: ScopeColumns, offset: number): SqlScope;
  allows(permission: Permission, object?: Record<string, unknown>): boolean;
}

function split(permission: Permission): [action: string, subject: SubjectName] {
  const dot = permission.indexOf('.');
  return [permission.slice(dot + 1), permission.slice(0, dot) as SubjectName];
}

const callerRows = (ability: AppAbility): RowRule => ({
  where: (permission, columns, offset) => {
    const [action, subject] = split(permission);
    return sqlScope(ability, action, subject, columns, offset);
  },
  allows: (permission, object) => {
    const [action, subject] = split(permission);
    return decide(ability, action, subject, object).allowed;
  },
});

const EVERY_ROW: RowRule = { where: () => ({ sql: 'true', params: [] }), allows: () => true };
const NO_ROW: RowRule = { where: () => ({ sql: 'false', params: [] }), allows: () => false };

/**
 * The service's own acts, each asked for by name (Medplum's system repository): they reach every
 * row, and what they write is audited under their name. Nothing else reaches rows unscoped.
 */
export const SYSTEM_ACTS = {
  /** The shipped policies installed at start, and the ones in force read for every ability. */
  installDefaultPolicies: { sub: 'system', name: 'crisis-link' },
  loadActivePolicies: { sub: 'system', name: 'crisis-link' },
  /** A token's organisation looked up before there is a caller. */
  authenticate: { sub: 'system:authentication', name: 'authentication' },
  seedDemoData: { sub: 'system:demo-seed', name: 'demo data seed' },
  sealAuditLedger: { sub: 'system:audit-sealer', name: 'audit sealer' },
  verifyAuditLedger: { sub: 'system:audit-verifier', name: 'audit verifier' },
  maintainAuditPartitions: { sub: 'system:audit-partitions', name: 'audit partitions' },
  reportAuditLedger: { sub: 'system:audit-health', name: 'audit ledger health' },
  /** §2.51(c): the outbox of emergency notifications delivered to programs' webhooks. */
  notifyPrograms: { sub: 'system:program-notifier', name: 'program notifier' },
} as const satisfies Record<string, { sub: string; name: string }>;
export type SystemAct = keyof typeof SYSTEM_ACTS;

function systemActor(sub: string, name: string, roles: string[]): AuditActor {
  return { sub, organizationKey: 'system', roles, name, policyVersion: null, policyRule: null, requestId: null };
}

/**
 * One unit of data work and whose it is. Repositories take it and filter every read of a
 * protected table by `rowsWhere` in SQL, so a service asking for a row its caller may not see
 * gets nothing, exactly as for a row that does not exist (C9). Services hold no SQL.
 */
export class ScopedTx implements Sql {
  constructor(
    /** TypeORM's API, for repositories that use it. */
    readonly manager: EntityManager,
    /** Who the audit records, and `created_by` and the like. */
    readonly auditActor: AuditActor,
    private readonly rows: RowRule,
  ) {}

  query<T>(text: string, params: unknown[] = []): Promise<T[]> {
    return this.manager.query(text, params);
  }

  async prepared<T>(name: string, text: string, params: unknown[]): Promise<T[]> {
    const runner = this.manager.queryRunner;
    if (!runner) return this.query(text, params);
    const client = (await runner.connect()) as { query(config: { name: string; text: string; values: unknown[] }): Promise<{ rows: T[] }> };
    return (await client.query({ name, text, values: params })).rows;
  }

  /**
   * A WHERE fragment for the rows this scope may act on with `permission`: the caller's policy
   * conditions, mapped through `columns` (a condition on an unmapped field fails closed); `true`
   * for the service's own acts. Parameters are numbered after `offset`.
   */
  rowsWhere(permission: Permission, columns: ScopeColumns, offset = 0): SqlScope {
    return this.rows.where(permission, columns, offset);
  }

  /** Whether this scope may act on an object that is not in the database yet: a create, decided before the insert. */
  allows(permission: Permission, object?: Record<string, unknown>): boolean {
    return this.rows.allows(permission, object);
  }
}

/** Whose work a transaction is: built once per request from the caller's ability, or asked for as a system act. */
export class AccessScope {
  constructor(
    private readonly transactions: TransactionRunner,
    readonly auditActor: AuditActor,
    private readonly rows: RowRule,
  ) {}

  /** The work in one transaction: it commits or rolls back as a whole (C17). */
  transaction<T>(work: (db: ScopedTx) => Promise<T>): Promise<T> {
    return this.transactions.run((manager) => work(new ScopedTx(manager, this.auditActor, this.rows)));
  }

  /** The work on one connection, each statement its own transaction (see TransactionRunner.autocommit). */
  autocommit<T>(work: (db: ScopedTx) => Promise<T>): Promise<T> {
    return this.transactions.autocommit((manager) => work(new ScopedTx(manager, this.auditActor, this.rows)));
  }
}

/**
 * The one way in to the data (Medplum's per-request repository and explicit system repository,
 * immich's access checks): a caller's scope reaches the rows the caller's policy allows, and
 * nothing reaches every row without naming the system act it is for.
 */
@Injectable()
export class DataAccess {
  constructor(private readonly transactions: TransactionRunner) {}

  /** A request: reads filtered by the caller's ability, events audited as the caller under the deciding policy rule. */
  forCaller(actor: Actor): AccessScope {
    const { principal, decision } = actor;
    const auditActor: AuditActor = {
      sub: principal.sub,
      organizationKey: principal.org.key,
      roles: principal.roles,
      name: principal.name,
      policyVersion: decision.policyVersion,
      policyRule: decision.rule,
      requestId: actor.requestId,
    };
    return new AccessScope(this.transactions, auditActor, callerRows(actor.ability));
  }

  /** A person whose verified token was refused at the door: they reach no row; only their refusal is written. */
  forRefusedIdentity(identity: { sub: string; organizationKey: string; roles: string[]; name: string }, requestId: string | null): AccessScope {
    return new AccessScope(this.transactions, { ...identity, policyVersion: null, policyRule: null, requestId }, NO_ROW);
  }

  /** One of the service's own acts: every row. */
  forSystem(act: SystemAct): AccessScope {
    const { sub, name } = SYSTEM_ACTS[act];
    return new AccessScope(this.transactions, systemActor(sub, name, ['system']), EVERY_ROW);
  }

  /** The operator at the command line (`npm run org:create`), with no server running: every row, audited under their account. */
  forOperator(account: string): AccessScope {
    const sub = `operator:${account}`;
    return new AccessScope(this.transactions, systemActor(sub, sub, ['operator']), EVERY_ROW);
  }
}
