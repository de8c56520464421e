/**
 * Telling a lost database connection (failover, restart, network) from every other database
 * error: a lost connection is answered UNAVAILABLE (try again), anything else stays INTERNAL.
 */

/**
 * SQLSTATEs of a server that is going away, not yet accepting, or full: class 08 (connection
 * exception) and these.
 */
const UNAVAILABLE_SQLSTATES = new Set([
  '57P01', // admin_shutdown: pg_terminate_backend, a fast shutdown, a failover
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now: starting up, shutting down, in recovery
  '57P05', // idle_session_timeout
  '53300', // too_many_connections
  '25006', // read_only_sql_transaction: a demoted primary after failover
]);

/** Socket errors node-postgres passes on as they are. */
const SOCKET_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'ECONNABORTED', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN']);

/** node-postgres and pg-pool messages for a connection that ended, could not be made, or is unusable. */
const LOST_MESSAGES = [
  /^Connection terminated/,
  /not queryable$/, // "Client has encountered a connection error and is not queryable", "Client was closed …"
  /^timeout exceeded when trying to connect$/,
  /^Cannot use a pool after calling end on the pool$/,
];

function causesOf(error: unknown): unknown[] {
  const chain: unknown[] = [];
  let current = error;
  // TypeORM wraps the driver's error (QueryFailedError.driverError); Error.cause wraps others.
  while (current && typeof current === 'object' && !chain.includes(current) && chain.length < 5) {
    chain.push(current);
    const next = current as { driverError?: unknown; cause?: unknown };
    current = next.driverError ?? next.cause;
  }
  return chain;
}

/** Whether `error` means the database connection was lost or could not be made. */
export function isConnectionLoss(error: unknown): boolean {
  return causesOf(error).some((e) => {
    const { code, message } = e as { code?: unknown; message?: unknown };
    if (typeof code === 'string' && (code.startsWith('08') || UNAVAILABLE_SQLSTATES.has(code) || SOCKET_CODES.has(code))) return true;
    return typeof message === 'string' && LOST_MESSAGES.some((pattern) => pattern.test(message));
  });
}

/** What may be logged about a lost connection: codes, never a message that could quote a statement (C3). */
export function describeConnectionLoss(error: unknown): { code?: string; kind: string } {
  for (const e of causesOf(error)) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string') return { code, kind: e instanceof Error ? e.name : typeof e };
  }
  return { kind: error instanceof Error ? error.name : typeof error };
}
