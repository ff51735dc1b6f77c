import { Field, ObjectType, registerEnumType } from "type-graphql";

export enum NewsletterSubscriptionStatus {
  PENDING_CONFIRMATION = "PENDING_CONFIRMATION",
  SUBSCRIBED = "SUBSCRIBED",
}
registerEnumType(NewsletterSubscriptionStatus, { name: "NewsletterSubscriptionStatus" });

@ObjectType("NewsletterSubscriptionPayload")
export class NewsletterSubscriptionPayload {
  @Field(() => NewsletterSubscriptionStatus)
  status!: NewsletterSubscriptionStatus;
}
