import { Field, ObjectType } from '@nestjs/graphql';
import { graphqlEnum } from '@libs/graphql/enums.js';
import { WEBHOOK_SOURCES, type WebhookSource } from './program-webhook-endpoints.js';

export const ProgramWebhookSourceEnum = graphqlEnum(WEBHOOK_SOURCES, {
  name: 'ProgramWebhookSource',
  description: 'Where a program webhook is set: the environment (PROGRAM_WEBHOOK_URL_<ORG_KEY>, which wins) or the app.',
});

/** A program's notification endpoint as admins see it: never its secret. */
@ObjectType('ProgramWebhook')
export class ProgramWebhookModel {
  @Field(() => String)
  organizationKey: string;

  @Field(() => String)
  organizationName: string;

  @Field(() => String)
  url: string;

  @Field(() => ProgramWebhookSourceEnum)
  source: WebhookSource;

  @Field(() => Date, { nullable: true, description: 'When it was set in the app; null when set in the environment.' })
  updatedAt: Date | null;

  static from(webhook: { organizationKey: string; organizationName: string; url: string; source: WebhookSource; updatedAt: Date | null }): ProgramWebhookModel {
    return Object.assign(new ProgramWebhookModel(), { ...webhook });
  }
}
