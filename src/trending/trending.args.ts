import { ArgsType, Field, ID, Int } from "type-graphql";
import { LocaleResolver } from "graphql-scalars";
import { IsOptional, Length, Matches, Max, Min } from "class-validator";
import { PAGE_SIZES } from "../graphql/pagination";
import { VIEW_ID_PATTERN } from "./trending.recorder";
import { TrendingWindow } from "./trending.type";

export const DEFAULT_TRENDING_SIZE = PAGE_SIZES.trending.default;
export const MAX_TRENDING_SIZE = PAGE_SIZES.trending.max;

@ArgsType()
export class SectionTrendingArgs {
  @Field(() => TrendingWindow, { nullable: true, defaultValue: TrendingWindow.DAY })
  window?: TrendingWindow | null;

  @Field(() => Int, {
    nullable: true,
    defaultValue: DEFAULT_TRENDING_SIZE,
    description: `1 to ${PAGE_SIZES.trending.max}.`,
  })
  @IsOptional()
  @Min(1)
  @Max(MAX_TRENDING_SIZE)
  first?: number | null;
}

@ArgsType()
export class TrendingArgs extends SectionTrendingArgs {
  @Field(() => String, { nullable: true, description: "Section slug; its child sections are included." })
  @IsOptional()
  @Length(1, 120)
  section?: string | null;

  @Field(() => LocaleResolver, { nullable: true })
  language?: string | null;
}

@ArgsType()
export class RecordViewArgs {
  @Field(() => ID)
  articleId!: string;

  @Field(() => String, {
    nullable: true,
    description: "A client-made id of this page view (a UUID), so a retried call counts once.",
  })
  @IsOptional()
  @Matches(VIEW_ID_PATTERN, { message: "must be 1 to 64 letters, digits, '-', '_', '.' or ':'" })
  viewId?: string | null;
}
