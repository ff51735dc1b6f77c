import { ArgsType, Field, ID, InputType, registerEnumType } from "type-graphql";
import { LocaleResolver, URLResolver } from "graphql-scalars";
import { ArrayMaxSize, ArrayMinSize, IsOptional, MaxLength } from "class-validator";
import { ForwardPageArgs } from "../graphql/pagination";

/** The events a webhook can subscribe to (GraphQL names for src/events/webhook-outbox.ts's types). */
export enum WebhookEvent {
  ARTICLE_PUBLISHED = "article.published",
  ARTICLE_UPDATED = "article.updated",
  ARTICLE_UNPUBLISHED = "article.unpublished",
  ARTICLE_SCHEDULED = "article.scheduled",
  ARTICLE_DELETED = "article.deleted",
  SECTION_CHANGED = "section.changed",
  AUTHOR_CHANGED = "author.changed",
}
registerEnumType(WebhookEvent, {
  name: "WebhookEvent",
  description:
    "ARTICLE_UPDATED: a public article whose public fields changed. ARTICLE_UNPUBLISHED: a public article taken off the site (unpublished, archived or at its unpublishAt).",
});

@InputType("CreateWebhookInput")
export class CreateWebhookInput {
  @Field(() => URLResolver, { description: "http(s); in production never a private, loopback or link-local address." })
  url!: string;

  @Field(() => [WebhookEvent])
  @ArrayMinSize(1)
  events!: WebhookEvent[];

  @Field(() => [ID], { nullable: true, description: "Only these sections and their child sections; all when absent." })
  @IsOptional()
  @ArrayMaxSize(100)
  sections?: string[] | null;

  @Field(() => [LocaleResolver], { nullable: true, description: "Only articles in these languages; all when absent." })
  @IsOptional()
  @ArrayMaxSize(50)
  languages?: string[] | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @MaxLength(500)
  description?: string | null;
}

@InputType("UpdateWebhookInput", { description: "A patch: a field left out is kept; null clears a filter." })
export class UpdateWebhookInput {
  @Field(() => URLResolver, { nullable: true })
  url?: string | null;

  @Field(() => [WebhookEvent], { nullable: true })
  @IsOptional()
  @ArrayMinSize(1)
  events?: WebhookEvent[] | null;

  @Field(() => [ID], { nullable: true })
  @IsOptional()
  @ArrayMaxSize(100)
  sections?: string[] | null;

  @Field(() => [LocaleResolver], { nullable: true })
  @IsOptional()
  @ArrayMaxSize(50)
  languages?: string[] | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @MaxLength(500)
  description?: string | null;

  @Field(() => Boolean, { nullable: true, description: "true enables a disabled webhook again (its failures reset)." })
  enabled?: boolean | null;
}

@ArgsType()
export class WebhooksArgs extends ForwardPageArgs {}
