import type { Session } from '../auth/session';
import { graphql } from './graphql';

/** `me` (schema.gql): who the API says the signed-in person is. */
export interface Me {
  sub: string;
  name: string;
  roles: string[];
  organization: { key: string; name: string; kind: string };
}

const ME = 'query Me { me { sub name roles organization { key name kind } } }';

export async function fetchMe(session: Session): Promise<Me> {
  return (await graphql<{ me: Me }>(session, ME)).me;
}
