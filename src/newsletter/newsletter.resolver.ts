import { Arg, Ctx, Field, InputType, Mutation, ObjectType, registerEnumType, Resolver } from "type-graphql";
import { EmailAddressResolver, LocaleResolver } from "graphql-scalars";
import { ArrayMaxSize, IsOptional } from "class-validator";
import type { Context } from "../graphql/context";

export enum NewsletterSubscriptionStatus {
  PENDING_CONFIRMATION = "PENDING_CONFIRMATION",
  SUBSCRIBED = "SUBSCRIBED",
}
registerEnumType(NewsletterSubscriptionStatus, { name: "NewsletterSubscriptionStatus" });

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

@ObjectType("NewsletterSubscriptionPayload")
export class NewsletterSubscriptionPayload {
  @Field(() => NewsletterSubscriptionStatus)
  status!: NewsletterSubscriptionStatus;
}

const payload = (status: NewsletterSubscriptionStatus) =>
  Object.assign(new NewsletterSubscriptionPayload(), { status });

/** Public, rate-limited per client; addresses go in and never come out. */
@Resolver()
export class NewsletterResolver {
  @Mutation(() => NewsletterSubscriptionPayload, {
    description: "Public. Always answers PENDING_CONFIRMATION, whether or not the address is known.",
  })
  async subscribeNewsletter(
    @Arg("input", () => NewsletterSubscriptionInput) input: NewsletterSubscriptionInput,
    @Ctx() ctx: Context,
  ): Promise<NewsletterSubscriptionPayload> {
    await ctx.app.services.newsletter.subscribe(input, ctx.client.key);
    return payload(NewsletterSubscriptionStatus.PENDING_CONFIRMATION);
  }

  @Mutation(() => NewsletterSubscriptionPayload)
  async confirmNewsletterSubscription(
    @Arg("token", () => String) token: string,
    @Ctx() ctx: Context,
  ): Promise<NewsletterSubscriptionPayload> {
    await ctx.app.services.newsletter.confirm(token);
    return payload(NewsletterSubscriptionStatus.SUBSCRIBED);
  }
}
