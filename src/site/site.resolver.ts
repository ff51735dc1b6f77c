import { Arg, Ctx, FieldResolver, Query, Resolver } from "type-graphql";
import { LocaleResolver } from "graphql-scalars";
import { assertSiteLanguage, type Context } from "../graphql/context";
import { Site, SocialLink } from "./site.type";
import { textFor } from "./site.settings";

@Resolver(() => Site)
export class SiteResolver {
  @Query(() => Site, {
    description: "Publication-wide settings: name, languages, disclaimer, social links, consent text.",
  })
  site(@Ctx() ctx: Context): Site {
    const s = ctx.app.site;
    return Object.assign(new Site(), {
      name: s.name,
      url: s.url,
      defaultLanguage: s.defaultLanguage,
      languages: s.languages,
      disclaimer: textFor(s, s.disclaimer, s.defaultLanguage),
      socialLinks: s.socialLinks.map((l) => Object.assign(new SocialLink(), l)),
    });
  }

  @FieldResolver(() => String, { description: "The consent line shown beside the newsletter sign-up." })
  newsletterConsentText(
    @Arg("language", () => LocaleResolver, { nullable: true }) language: string | undefined,
    @Ctx() ctx: Context,
  ): string {
    if (language != null) assertSiteLanguage(ctx, language, "language");
    return textFor(ctx.app.site, ctx.app.site.newsletterConsentText, language) ?? "";
  }
}
