import type { Session } from '../auth/session';
import { graphql } from './graphql';
import { MeDocument, type MeQuery } from './me.generated';

/** Who the API says the signed-in person is (`me`, schema.gql). */
export type Me = MeQuery['me'];

export async function fetchMe(session: Session): Promise<Me> {
  return (await graphql(session, MeDocument)).me;
}
