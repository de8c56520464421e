import { GraphQLError } from 'graphql';
import { QueryFailedError, QueryRunnerAlreadyReleasedError } from 'typeorm';
import { createErrorFormatter } from '@libs/graphql/error-formatter.js';
import { describeConnectionLoss, isConnectionLoss } from './connection-loss.js';

/** A node-postgres error as the driver builds it: a message, a SQLSTATE, nothing else needed here. */
function pgError(code: string, message = 'some message'): Error {
  return Object.assign(new Error(message), { code, severity: 'FATAL' });
}

describe('isConnectionLoss (failover, restart: UNAVAILABLE, issue 9)', () => {
  it.each([
    ['pg_terminate_backend, a fast shutdown (57P01)', pgError('57P01', 'terminating connection due to administrator command')],
    ['a server starting up or in recovery (57P03)', pgError('57P03', 'the database system is starting up')],
    ['a connection exception (class 08)', pgError('08006')],
    ['too many connections (53300)', pgError('53300')],
    ['a refused connect', Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' })],
    ['a reset socket', Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' })],
    ['a connection ended under a query', new Error('Connection terminated unexpectedly')],
    ['a client that lost its connection', new Error('Client has encountered a connection error and is not queryable')],
    ['a pool that could not connect in time', new Error('timeout exceeded when trying to connect')],
    ['the same, wrapped by TypeORM', new QueryFailedError('SELECT 1', [], pgError('57P01'))],
    ['the same, as an Error cause', new Error('outer', { cause: new Error('Connection terminated') })],
  ])('recognises %s', (_, error) => {
    expect(isConnectionLoss(error)).toBe(true);
  });

  it.each([
    ['a unique violation', new QueryFailedError('INSERT …', ['x'], pgError('23505'))],
    ['a refused audit append (a trigger raising)', new QueryFailedError('INSERT …', ['x'], pgError('P0001', 'disk full'))],
    ['a serialization failure', pgError('40001')],
    ['a released runner, on its own', new QueryRunnerAlreadyReleasedError()],
    ['a programming error', new TypeError('x is not a function')],
    ['not an error at all', 'Connection terminated'],
  ])('does not take %s for a lost connection', (_, error) => {
    expect(isConnectionLoss(error)).toBe(false);
  });

  it('describes a loss by its codes only, never by a message or the statement\'s parameters (C3)', () => {
    const error = new QueryFailedError('SELECT * FROM patient WHERE family = $1', ['Rivera'], pgError('57P01', 'terminating connection'));
    const described = describeConnectionLoss(error);
    expect(described).toEqual({ code: '57P01', kind: 'QueryFailedError' });
    expect(JSON.stringify(described)).not.toMatch(/Rivera|SELECT|terminating/);
  });
});

describe('the error formatter, for a connection lost outside a DataAccess transaction', () => {
  it('answers UNAVAILABLE with the fixed message, not INTERNAL, and says nothing of the driver\'s error', () => {
    const internal: unknown[] = [];
    const format = createErrorFormatter({ onInternalError: (e) => internal.push(e) });
    const original = new QueryFailedError('SELECT 1 FROM access_policy', [], pgError('57P01', 'terminating connection due to administrator command'));
    const error = new GraphQLError(original.message, { originalError: original });
    expect(format({ message: original.message, path: ['responderLookup'] }, error)).toEqual({
      message: 'The service is temporarily unavailable',
      path: ['responderLookup'],
      extensions: { code: 'UNAVAILABLE' },
    });
    expect(internal).toEqual([]);
  });
});
