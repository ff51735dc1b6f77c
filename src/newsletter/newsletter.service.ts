import { createHash, randomBytes } from "node:crypto";
import { inTransaction } from "../db/transaction";
import { GraphQLError } from "graphql";
import { IsNull, type DataSource } from "typeorm";
import type { Config } from "../config";
import type { RateLimits } from "../rate-limit";
import { badUserInput } from "../graphql/errors";
import { textFor, type SiteSettings } from "../site/site.settings";
import { NewsletterSubscriptionEntity, NewsletterTokenEntity, OutboxEntity } from "./newsletter.entity";

export const TOKEN_TTL_MS = 48 * 3600 * 1000;
const hash = (token: string) => createHash("sha256").update(token, "utf8").digest("hex");

export interface SubscribeRequest {
  email: string;
  consent: boolean;
  language?: string | null;
  topics?: string[] | null;
}

export function rateLimited(retryAfterSeconds: number): GraphQLError {
  const retryAfter = Math.max(1, Math.ceil(retryAfterSeconds));
  return new GraphQLError(`Too many requests; try again in ${retryAfter} s`, {
    extensions: {
      code: "RATE_LIMITED",
      retryAfter,
      http: { status: 429, headers: new Map([["retry-after", String(retryAfter)]]) },
    },
  });
}

/**
 * Consent-based sign-up with double opt-in. Every answer is PENDING_CONFIRMATION, whether the
 * address is new, pending or subscribed, so nobody can probe who subscribes.
 */
export class NewsletterService {
  constructor(
    private readonly ds: DataSource,
    private readonly config: Config,
    private readonly site: SiteSettings,
    private readonly clock: () => Date,
    private readonly rateLimits: RateLimits,
  ) {}

  async subscribe(req: SubscribeRequest, clientKey: string): Promise<"PENDING_CONFIRMATION"> {
    const verdict = await this.rateLimits.consume("newsletter", clientKey);
    if (!verdict.allowed) throw rateLimited(verdict.resetSeconds);
    if (req.consent !== true)
      throw badUserInput("must be true: the reader has to agree to the consent text", "input.consent");
    const email = req.email.trim().toLowerCase();
    if (email.length > 320) throw badUserInput("is too long", "input.email");
    const language = req.language ?? this.site.defaultLanguage;
    if (!this.site.languages.includes(language))
      throw badUserInput(`"${language}" is not one of the site's languages`, "input.language");
    const topics = [...new Set((req.topics ?? []).map((t) => t.trim()))];
    if (topics.length > 20 || topics.some((t) => t.length < 1 || t.length > 50)) {
      throw badUserInput("at most 20 topics of 1 to 50 characters", "input.topics");
    }
    const now = this.clock();
    const consentText = textFor(this.site, this.site.newsletterConsentText, language) ?? "";
    await inTransaction(this.ds, async (m) => {
      const subs = m.getRepository(NewsletterSubscriptionEntity);
      const existing = await subs.findOne({ where: { email } });
      if (existing?.status === "subscribed") return;
      const sub = await subs.save(
        Object.assign(existing ?? new NewsletterSubscriptionEntity(), {
          email,
          language,
          topics: JSON.stringify(topics),
          status: "pending",
          consentText,
          consentedAt: now,
          createdAt: existing?.createdAt ?? now,
          confirmedAt: null,
        }),
      );
      const token = randomBytes(32).toString("base64url");
      await m.getRepository(NewsletterTokenEntity).insert({
        subscriptionId: sub.id,
        tokenHash: hash(token),
        expiresAt: new Date(now.getTime() + TOKEN_TTL_MS),
        usedAt: null,
      });
      await m.getRepository(OutboxEntity).insert({
        kind: "newsletter.confirm",
        recipient: email,
        payload: JSON.stringify({
          language,
          token,
          confirmUrl: `${this.config.publicSiteUrl}/newsletter/confirm?token=${encodeURIComponent(token)}`,
        }),
        createdAt: now,
        sentAt: null,
      });
    });
    return "PENDING_CONFIRMATION";
  }

  /** Single use, valid 48 hours. A used, expired or unknown token is bad input, all alike. */
  async confirm(token: string): Promise<"SUBSCRIBED"> {
    const now = this.clock();
    const ok = await inTransaction(this.ds, async (m) => {
      if (token.length < 20 || token.length > 100) return false;
      const tokens = m.getRepository(NewsletterTokenEntity);
      const row = await tokens.findOne({ where: { tokenHash: hash(token) } });
      if (!row || row.usedAt || row.expiresAt <= now) return false;
      // Claim it only while unused, so two confirmations racing cannot both succeed.
      const claimed = await tokens.update({ id: row.id, usedAt: IsNull() }, { usedAt: now });
      if ((claimed.affected ?? 0) !== 1) return false;
      await m
        .getRepository(NewsletterSubscriptionEntity)
        .update({ id: row.subscriptionId }, { status: "subscribed", confirmedAt: now });
      // Older confirmation links of the same address die with this one.
      await tokens.update({ subscriptionId: row.subscriptionId, usedAt: IsNull() }, { usedAt: now });
      return true;
    });
    if (!ok) throw badUserInput("is invalid, used or expired", "token");
    return "SUBSCRIBED";
  }
}
