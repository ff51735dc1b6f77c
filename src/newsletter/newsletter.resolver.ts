import { Arg, Ctx, Mutation, Resolver } from "type-graphql";
import type { Context } from "../graphql/context";
import { NewsletterSubscriptionInput } from "./newsletter.args";
import { NewsletterSubscriptionPayload, NewsletterSubscriptionStatus } from "./newsletter.type";

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
