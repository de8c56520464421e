/**
 * Runs one SQL statement and returns its rows. Repositories take one: a request's ScopedTx in the
 * service, a plain pg client or pool in the offline tools and the verification workers.
 */
export interface Sql {
  query<T>(text: string, params?: unknown[]): Promise<T[]>;
  /**
   * The same as a named prepared statement, planned once per connection instead of on every call
   * (node-postgres otherwise sends unnamed statements). For statements whose text never varies.
   */
  prepared<T>(name: string, text: string, params: unknown[]): Promise<T[]>;
}

interface PgQueryable {
  query(config: string | { name?: string; text: string; values?: unknown[] }, values?: unknown[]): Promise<{ rows: unknown[] }>;
}

/** A node-postgres client or pool as Sql. */
export function sqlOverPg(client: PgQueryable): Sql {
  return {
    query: async <T>(text: string, params: unknown[] = []) => (await client.query(text, params)).rows as T[],
    prepared: async <T>(name: string, text: string, params: unknown[]) => (await client.query({ name, text, values: params })).rows as T[],
  };
}

/**
 * SQL text of a timestamptz as UTC ISO 8601 with microseconds (`2026-01-02T03:04:05.123456Z`):
 * exact where JavaScript's milliseconds are not (keyset cursors, the hashed audit event).
 */
export function utcMicroseconds(expression: string): string {
  return `to_char(${expression} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;
}

/** One page of a keyset-paged list, and whether another follows. */
export interface KeysetPage<T> {
  items: T[];
  hasNextPage: boolean;
}

/**
 * How a list is keyset-paged: by a time, then a unique tie-breaker, oldest or newest first. The
 * cursor is the last row's [utcMicroseconds(time), tie-breaker] (see `cursorColumn`).
 */
export class Keyset {
  constructor(
    private readonly time: string,
    private readonly tieBreaker: string,
    private readonly tieBreakerType: 'uuid' | 'bigint',
    private readonly order: 'ASC' | 'DESC',
  ) {}

  /** The select-list expression whose value is a row's cursor time. */
  cursorColumn(alias: string): string {
    return `${utcMicroseconds(this.time)} AS ${alias}`;
  }

  /** The condition for rows after `cursor`, its two values bound at the end of `params`; null on the first page. */
  after(cursor: readonly [string, string] | null, params: unknown[]): string | null {
    if (!cursor) return null;
    params.push(cursor[0], cursor[1]);
    const operator = this.order === 'ASC' ? '>' : '<';
    return `(${this.time}, ${this.tieBreaker}) ${operator} ($${params.length - 1}::timestamptz, $${params.length}::${this.tieBreakerType})`;
  }

  /**
   * ORDER BY and LIMIT of one page, one row more than asked (bound at the end of `params`) to
   * tell whether another page follows. `columns` names the keys as an outer query sees them.
   */
  orderAndLimit(limit: number, params: unknown[], columns: readonly [string, string] = [this.time, this.tieBreaker]): string {
    params.push(limit + 1);
    return `ORDER BY ${columns[0]} ${this.order}, ${columns[1]} ${this.order} LIMIT $${params.length}`;
  }
}

/** The page of rows read with `Keyset.orderAndLimit(limit)`. */
export function pageOf<T>(rows: T[], limit: number): KeysetPage<T> {
  return { items: rows.slice(0, limit), hasNextPage: rows.length > limit };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Whether a caller's id can be a row's id: repositories answer anything else as not found, without a query. */
export function isUuid(value: string): boolean {
  return UUID.test(value);
}
