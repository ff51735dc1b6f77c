import { ID, ArgsType, Field, InputType, Int } from "type-graphql";
import { LocaleResolver } from "graphql-scalars";
import { IsOptional, Length, Max, Min } from "class-validator";
import { assertSiteLanguage, type Context } from "../graphql/context";
import { badUserInput } from "../graphql/errors";
import { PageArgs } from "../graphql/pagination";
import type { ArticleWhere } from "./article.service";
import { ArticleOrder } from "./article.type";

/** What callers may filter on. Private author fields are deliberately absent. */
@InputType("ArticleFilter")
export class ArticleFilter {
  @Field(() => String, { nullable: true, description: "Section slug." })
  @IsOptional()
  @Length(1, 120)
  section?: string;

  @Field(() => String, { nullable: true, description: "Author slug." })
  @IsOptional()
  @Length(1, 120)
  author?: string;

  @Field(() => String, { nullable: true, description: "Tag slug." })
  @IsOptional()
  @Length(1, 120)
  tag?: string;

  @Field(() => LocaleResolver, { nullable: true })
  language?: string;

  @Field(() => Date, { nullable: true, description: "Inclusive." })
  publishedAfter?: Date;

  @Field(() => Date, { nullable: true, description: "Exclusive." })
  publishedBefore?: Date;

  @Field(() => [LocaleResolver], {
    nullable: true,
    description:
      "With language set: one article per story, in language or else in the first of these that the story has.",
  })
  fallbackLanguages?: string[];
}

@ArgsType()
export class ArticlesArgs extends PageArgs {
  @Field(() => ArticleFilter, { nullable: true })
  filter?: ArticleFilter;

  @Field(() => ArticleOrder, { nullable: true, defaultValue: ArticleOrder.PUBLISHED_AT_DESC })
  orderBy?: ArticleOrder;
}

@ArgsType()
export class ArticleLookupArgs {
  @Field(() => ID, { nullable: true })
  id?: string;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @Length(1, 200)
  slug?: string;

  @Field(() => LocaleResolver, { nullable: true })
  language?: string;
}

@ArgsType()
export class ExcerptArgs {
  @Field(() => Int, { nullable: true, defaultValue: 200 })
  @IsOptional()
  @Min(1)
  @Max(5000)
  maxLength?: number;
}

/**
 * Turns a filter into SQL-ready conditions, narrowed to `withinSections` when the list
 * hangs under a section. Returns null when the filter cannot match anything (an unknown
 * section), so no statement is needed.
 */
export async function toArticleWhere(
  ctx: Context,
  filter: ArticleFilter | undefined,
  withinSections?: number[],
): Promise<ArticleWhere | null> {
  const where: ArticleWhere = {};
  let sectionIds = withinSections;
  if (filter?.section !== undefined) {
    const slug = filter.section;
    const tree = await ctx.loaders.sections.having((t) => t.bySlug.has(slug));
    const section = tree.bySlug.get(slug);
    if (!section) return null;
    const ids = tree.subtreeIds(section.id);
    sectionIds = sectionIds ? sectionIds.filter((id) => ids.includes(id)) : ids;
  }
  if (sectionIds) where.sectionIds = sectionIds;
  if (filter?.author !== undefined) where.authorSlug = filter.author;
  if (filter?.tag !== undefined) where.tagSlug = filter.tag;
  if (filter?.fallbackLanguages != null) {
    if (filter.language == null) throw badUserInput("needs filter.language", "filter.fallbackLanguages");
    where.languages = languageList(ctx, filter.language, filter.fallbackLanguages, {
      language: "filter.language",
      fallback: "filter.fallbackLanguages",
    });
  } else if (filter?.language != null) {
    where.language = assertSiteLanguage(ctx, filter.language, "filter.language");
  }
  if (filter?.publishedAfter) where.publishedAfter = filter.publishedAfter;
  if (filter?.publishedBefore) where.publishedBefore = filter.publishedBefore;
  if (where.publishedAfter && where.publishedBefore && where.publishedAfter >= where.publishedBefore) {
    throw badUserInput("must be later than filter.publishedAfter", "filter.publishedBefore");
  }
  return where;
}

export const MAX_FALLBACK_LANGUAGES = 10;

/** [language, ...fallback], each a site language, at most MAX_FALLBACK_LANGUAGES fallbacks, no repeats. */
export function languageList(
  ctx: Context,
  language: string,
  fallback: string[] | undefined | null,
  fields: { language: string; fallback: string },
): string[] {
  if ((fallback?.length ?? 0) > MAX_FALLBACK_LANGUAGES) {
    throw badUserInput(`at most ${MAX_FALLBACK_LANGUAGES} fallback languages`, fields.fallback);
  }
  const all = [language, ...(fallback ?? [])];
  all.forEach((l, i) => assertSiteLanguage(ctx, l, i === 0 ? fields.language : `${fields.fallback}[${i - 1}]`));
  return [...new Set(all)];
}
