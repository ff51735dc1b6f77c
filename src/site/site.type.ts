import { Field, ObjectType } from "type-graphql";
import { LocaleResolver, URLResolver } from "graphql-scalars";

@ObjectType("SocialLink", { simpleResolvers: true })
export class SocialLink {
  @Field()
  network!: string;

  @Field(() => URLResolver)
  url!: string;
}

/** Publication-wide settings; the per-language texts are resolved in SiteResolver. */
@ObjectType("Site", { simpleResolvers: true })
export class Site {
  @Field()
  name!: string;

  @Field(() => URLResolver)
  url!: string;

  @Field(() => LocaleResolver)
  defaultLanguage!: string;

  @Field(() => [LocaleResolver])
  languages!: string[];

  @Field(() => String, { nullable: true })
  disclaimer!: string | null;

  @Field(() => [SocialLink])
  socialLinks!: SocialLink[];
}
