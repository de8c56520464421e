import { Field, InputType } from '@nestjs/graphql';
import { IsString, Length, Matches } from 'class-validator';
import { PROGRAM_WEBHOOK_SECRET_MIN_LENGTH } from '@libs/config/app-config.js';
import { ORGANIZATION_KEY_PATTERN } from '@app/modules/organizations/dto/create-organization.input.js';

@InputType('SetProgramWebhookInput')
export class SetProgramWebhookInput {
  @Field(() => String, { description: 'The treatment provider (program) whose notifications go there.' })
  @Matches(ORGANIZATION_KEY_PATTERN)
  organizationKey: string;

  @Field(() => String, { description: 'https (http outside production), no credentials in it.' })
  @IsString()
  @Length(8, 2000)
  url: string;

  @Field(() => String, { description: 'Signs each notification (X-Crisis-Link-Signature: sha256=<HMAC-SHA256 of the body>); never shown again.' })
  @IsString()
  @Length(PROGRAM_WEBHOOK_SECRET_MIN_LENGTH, 200)
  secret: string;
}
