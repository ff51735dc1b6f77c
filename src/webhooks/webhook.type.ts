import { Field, ID, Int, ObjectType, registerEnumType } from "type-graphql";
import { LocaleResolver, URLResolver } from "graphql-scalars";
import { Connection } from "../graphql/connection";
import { toGlobalId } from "../graphql/global-id";
import { WebhookEvent } from "./webhook.args";

export enum WebhookDeliveryStatus {
  PENDING = "pending",
  DELIVERED = "delivered",
  FAILED = "failed",
}
registerEnumType(WebhookDeliveryStatus, {
  name: "WebhookDeliveryStatus",
  description: "FAILED: every retry failed (or the target was refused); redeliverWebhookEvent sends it again.",
});

export interface WebhookRow {
  id: number;
  url: string;
  events: WebhookEvent[];
  sectionIds: number[];
  languages: string[];
  description: string | null;
  enabled: boolean;
  disabledReason: string | null;
  consecutiveFailures: number;
  createdAt: Date;
}

export interface DeliveryRow {
  id: number;
  webhookId: number;
  eventId: number;
  eventType: string;
  status: WebhookDeliveryStatus;
  attempts: number;
  nextAttemptAt: Date;
  createdAt: Date;
  deliveredAt: Date | null;
  /** Every attempt, oldest first (loaded with the page, in one statement). */
  log: Array<{ at: Date; httpStatus: number | null; durationMs: number; error: string | null }>;
}

export const webhookGlobalId = (kind: "Webhook" | "WebhookDelivery", id: number) => toGlobalId(kind, id);

@ObjectType("WebhookAttempt", { simpleResolvers: true })
export class WebhookAttempt {
  @Field(() => Date)
  at!: Date;

  @Field(() => Int, { nullable: true, description: "The receiver's HTTP status; null when it never answered." })
  httpStatus!: number | null;

  @Field(() => Int)
  durationMs!: number;

  @Field(() => String, { nullable: true })
  error!: string | null;
}

@ObjectType("WebhookDelivery", { simpleResolvers: true })
export class WebhookDelivery {
  constructor(readonly row: DeliveryRow) {}

  @Field(() => ID)
  get id(): string {
    return webhookGlobalId("WebhookDelivery", this.row.id);
  }

  @Field(() => ID, { description: "The content event's id: the webhook-id header is evt_<eventId>." })
  get eventId(): string {
    return String(this.row.eventId);
  }

  @Field(() => WebhookEvent)
  get eventType(): string {
    return this.row.eventType;
  }

  @Field(() => WebhookDeliveryStatus)
  get status(): WebhookDeliveryStatus {
    return this.row.status;
  }

  @Field(() => Date, { nullable: true, description: "When the next attempt is due, while PENDING." })
  get nextAttemptAt(): Date | null {
    return this.row.status === WebhookDeliveryStatus.PENDING ? this.row.nextAttemptAt : null;
  }

  @Field(() => Date)
  get createdAt(): Date {
    return this.row.createdAt;
  }

  @Field(() => Date, { nullable: true })
  get deliveredAt(): Date | null {
    return this.row.deliveredAt;
  }

  @Field(() => [WebhookAttempt], {
    description: "Every attempt, oldest first: when, the receiver's status, how long, what went wrong.",
  })
  get attempts(): WebhookAttempt[] {
    return this.row.log.map((a) => Object.assign(new WebhookAttempt(), a));
  }
}

@ObjectType("WebhookDeliveryConnection", { simpleResolvers: true })
export class WebhookDeliveryConnection extends Connection<WebhookDelivery, DeliveryRow>(
  "WebhookDelivery",
  WebhookDelivery,
) {}

@ObjectType("Webhook", {
  simpleResolvers: true,
  description: "Admins only. The signing secret is never shown again after it is made.",
})
export class Webhook {
  constructor(readonly row: WebhookRow) {}

  @Field(() => ID)
  get id(): string {
    return webhookGlobalId("Webhook", this.row.id);
  }

  @Field(() => URLResolver)
  get url(): string {
    return this.row.url;
  }

  @Field(() => [WebhookEvent])
  get events(): WebhookEvent[] {
    return this.row.events;
  }

  @Field(() => [ID], { description: "Section ids it is limited to (their child sections included); empty: all." })
  get sections(): string[] {
    return this.row.sectionIds.map((id) => toGlobalId("Section", id));
  }

  @Field(() => [LocaleResolver], { description: "Languages it is limited to; empty: all." })
  get languages(): string[] {
    return this.row.languages;
  }

  @Field(() => String, { nullable: true })
  get description(): string | null {
    return this.row.description;
  }

  @Field()
  get enabled(): boolean {
    return this.row.enabled;
  }

  @Field(() => String, { nullable: true, description: "Why it was disabled, when it was." })
  get disabledReason(): string | null {
    return this.row.disabledReason;
  }

  @Field(() => Int, { description: "Events in a row whose delivery failed for good." })
  get consecutiveFailures(): number {
    return this.row.consecutiveFailures;
  }

  @Field(() => Date)
  get createdAt(): Date {
    return this.row.createdAt;
  }
}

@ObjectType("WebhookConnection", { simpleResolvers: true })
export class WebhookConnection extends Connection<Webhook, WebhookRow>("Webhook", Webhook) {}

@ObjectType("WebhookWithSecret", { simpleResolvers: true })
export class WebhookWithSecret {
  @Field(() => Webhook)
  webhook!: Webhook;

  @Field({ description: "whsec_…: verify signatures with it (the standardwebhooks package). Shown this once." })
  secret!: string;
}
