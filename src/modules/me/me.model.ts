import { Field, ObjectType } from '@nestjs/graphql';
import type { Principal } from '@libs/auth/principal.js';
import { OrganizationKindEnum } from '@app/modules/organizations/organization.model.js';
import type { OrganizationKind } from '@libs/auth/principal.js';

@ObjectType('MeOrganization', { description: 'The organisation the signed-in person acts for.' })
export class MeOrganizationModel {
  @Field(() => String, { description: 'Key of the organisation (the organisation claim of the token).' })
  key: string;

  @Field(() => String)
  name: string;

  @Field(() => OrganizationKindEnum)
  kind: OrganizationKind;
}

@ObjectType('Me', { description: 'Who the signed-in person is, as the service verified it from their token.' })
export class MeModel {
  @Field(() => String, { description: 'The identity provider\'s unique id of the person (`sub`).' })
  sub: string;

  @Field(() => String, { description: 'Display name (recorded with §2.51 disclosures).' })
  name: string;

  @Field(() => [String], { description: 'Roles, after the claim mapping (AUTH_ROLES_CLAIM, AUTH_ROLE_MAP).' })
  roles: string[];

  @Field(() => MeOrganizationModel)
  organization: MeOrganizationModel;

  @Field(() => Boolean, {
    description: 'Whether the person signed in with multi-factor: the token\'s `amr` names a multi-factor method, or its `acr` (or Entra ID `acrs`) is one that AUTH_MFA_ACR_VALUES accepts.',
  })
  multiFactor: boolean;

  static from(principal: Principal, multiFactor: boolean): MeModel {
    return Object.assign(new MeModel(), {
      sub: principal.sub,
      name: principal.name,
      roles: [...principal.roles],
      organization: Object.assign(new MeOrganizationModel(), { key: principal.org.key, name: principal.org.name, kind: principal.org.kind }),
      multiFactor,
    });
  }
}
