import { type Type } from '@nestjs/common';
import { Field, Int, ObjectType } from '@nestjs/graphql';
import { BadUserInputError } from './errors.js';

@ObjectType()
export class PageInfo {
  @Field(() => String, { nullable: true })
  endCursor: string | null;

  @Field(() => Boolean)
  hasNextPage: boolean;
}

/** A Relay-style connection type with `nodes`, `edges { node }` and `pageInfo` (schema.gql: every list that can grow). */
export function Connection<T>(node: Type<T>, name: string) {
  @ObjectType(`${name}Edge`)
  class Edge {
    @Field(() => node)
    node: T;

    @Field(() => String)
    cursor: string;
  }

  @ObjectType(`${name}Connection`, { isAbstract: true })
  abstract class ConnectionType {
    @Field(() => [node])
    nodes: T[];

    @Field(() => [Edge])
    edges: Edge[];

    @Field(() => PageInfo)
    pageInfo: PageInfo;
  }
  return ConnectionType;
}

/** Builds a connection answer; `cursorOf` makes each node's opaque cursor. */
export function toConnection<T>(page: { items: T[]; hasNextPage: boolean }, cursorOf: (item: T) => string) {
  const edges = page.items.map((node) => ({ node, cursor: cursorOf(node) }));
  return {
    nodes: page.items,
    edges,
    pageInfo: { endCursor: edges.length > 0 ? edges[edges.length - 1].cursor : null, hasNextPage: page.hasNextPage },
  };
}

export const MAX_PAGE_SIZE = 100;

/** Checks `first` (1..100, default 50). */
export function pageSize(first: number | null | undefined, field = 'first'): number {
  if (first === null || first === undefined) return 50;
  if (!Number.isInteger(first) || first < 1 || first > MAX_PAGE_SIZE) throw new BadUserInputError([field]);
  return first;
}

/** Opaque keyset cursors: base64url JSON of the sort key. */
export function encodeCursor(key: readonly (string | number)[]): string {
  return Buffer.from(JSON.stringify(key)).toString('base64url');
}

const CURSOR_PARTS = {
  time: /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/,
  uuid: /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i,
  sequence: /^[1-9][0-9]{0,17}$/,
};
export type CursorPart = keyof typeof CURSOR_PARTS;

/** Reads a keyset cursor whose parts must be of the given kinds; anything else is bad input, never a query. */
export function decodeCursor(cursor: string | null | undefined, parts: CursorPart[], field = 'after'): string[] | null {
  if (cursor === null || cursor === undefined) return null;
  try {
    const key: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(key) && key.length === parts.length && key.every((k, i) => typeof k === 'string' && CURSOR_PARTS[parts[i]].test(k))) return key as string[];
  } catch {
    // fall through
  }
  throw new BadUserInputError([field]);
}
