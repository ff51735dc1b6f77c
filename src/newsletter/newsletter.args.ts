import { Field, InputType } from "type-graphql";
import { EmailAddressResolver, LocaleResolver } from "graphql-scalars";
import { ArrayMaxSize, IsOptional } from "class-validator";

@InputType("NewsletterSubscriptionInput")
export class NewsletterSubscriptionInput {
  @Field(() => EmailAddressResolver)
  email!: string;

  @Field({ description: "Must be true: the reader agreed to the consent text." })
  consent!: boolean;

  @Field(() => LocaleResolver, { nullable: true })
  language?: string;

  @Field(() => [String], { nullable: true })
  @IsOptional()
  @ArrayMaxSize(20)
  topics?: string[];
}
