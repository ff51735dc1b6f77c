import { ArgsType, Field } from "type-graphql";
import { ArticleFilter } from "../article/article.args";
import { ForwardPageArgs } from "../graphql/pagination";

@ArgsType()
export class SearchArgs extends ForwardPageArgs {
  /** 1 to 200 characters once trimmed; checked in parseSearchQuery so the rule lives in one place. */
  @Field(() => String)
  query!: string;

  @Field(() => ArticleFilter, { nullable: true })
  filter?: ArticleFilter;
}
