import { Arg, Args, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from "type-graphql";
import { requireRole } from "../auth/auth.guard";
import type { Context } from "../graphql/context";
import { ForwardPageArgs, pageRequest } from "../graphql/pagination";
import { CreateWebhookInput, UpdateWebhookInput, WebhooksArgs } from "./webhook.args";
import { decodeIdCursor, idCursor } from "./webhook.service";
import {
  Webhook,
  WebhookConnection,
  WebhookDelivery,
  WebhookDeliveryConnection,
  WebhookWithSecret,
} from "./webhook.type";

const withSecret = (r: { webhook: Webhook["row"]; secret: string }) =>
  Object.assign(new WebhookWithSecret(), { webhook: new Webhook(r.webhook), secret: r.secret });

/** Webhooks: admins only. Thin: WebhookService owns the rules. */
@Resolver(() => Webhook)
export class WebhookResolver {
  @Query(() => WebhookConnection, { description: "Admins only." })
  async webhooks(@Args() args: WebhooksArgs, @Ctx() ctx: Context): Promise<WebhookConnection> {
    requireRole(ctx.viewer, "admin");
    const service = ctx.app.services.webhooks;
    const page = await service.page(pageRequest(args, decodeIdCursor));
    return new WebhookConnection({
      page,
      cursor: idCursor,
      present: (row) => new Webhook(row),
      count: () => service.count(),
    });
  }

  @FieldResolver(() => WebhookDeliveryConnection, { description: "Newest first, with every attempt." })
  async deliveries(
    @Root() webhook: Webhook,
    @Args() args: ForwardPageArgs,
    @Ctx() ctx: Context,
  ): Promise<WebhookDeliveryConnection> {
    requireRole(ctx.viewer, "admin");
    const service = ctx.app.services.webhooks;
    const page = await service.deliveries(webhook.row.id, pageRequest(args, decodeIdCursor));
    return new WebhookDeliveryConnection({
      page,
      cursor: idCursor,
      present: (row) => new WebhookDelivery(row),
      count: () => service.deliveryCount(webhook.row.id),
    });
  }

  @Mutation(() => WebhookWithSecret, {
    description: "Admins only. The answer holds the signing secret, shown this once.",
  })
  async createWebhook(
    @Arg("input", () => CreateWebhookInput) input: CreateWebhookInput,
    @Ctx() ctx: Context,
  ): Promise<WebhookWithSecret> {
    requireRole(ctx.viewer, "admin");
    return withSecret(await ctx.app.services.webhooks.create(input));
  }

  @Mutation(() => Webhook, { description: "Admins only." })
  async updateWebhook(
    @Arg("id", () => ID) id: string,
    @Arg("input", () => UpdateWebhookInput) input: UpdateWebhookInput,
    @Ctx() ctx: Context,
  ): Promise<Webhook> {
    requireRole(ctx.viewer, "admin");
    return new Webhook(await ctx.app.services.webhooks.update(id, input));
  }

  @Mutation(() => Boolean, { description: "Admins only. Its pending deliveries go with it." })
  async deleteWebhook(@Arg("id", () => ID) id: string, @Ctx() ctx: Context): Promise<boolean> {
    requireRole(ctx.viewer, "admin");
    return ctx.app.services.webhooks.delete(id);
  }

  @Mutation(() => WebhookWithSecret, {
    description: "Admins only. A new signing secret, shown this once; the old one stops at once.",
  })
  async rotateWebhookSecret(@Arg("id", () => ID) id: string, @Ctx() ctx: Context): Promise<WebhookWithSecret> {
    requireRole(ctx.viewer, "admin");
    return withSecret(await ctx.app.services.webhooks.rotateSecret(id));
  }

  @Mutation(() => Boolean, { description: "Admins only. Sends one delivery again, with a fresh set of retries." })
  async redeliverWebhookEvent(@Arg("deliveryId", () => ID) deliveryId: string, @Ctx() ctx: Context): Promise<boolean> {
    requireRole(ctx.viewer, "admin");
    return ctx.app.services.webhooks.redeliver(deliveryId);
  }
}
