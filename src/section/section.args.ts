import { ArgsType, Field, ID } from "type-graphql";
import { ArticleFilter } from "../article/article.args";
import { ForwardPageArgs } from "../graphql/pagination";

/** section(id | slug): exactly one of the two. */
@ArgsType()
export class SectionLookupArgs {
  @Field(() => ID, { nullable: true })
  id?: string;

  @Field(() => String, { nullable: true })
  slug?: string;
}

@ArgsType()
export class SectionArticlesArgs extends ForwardPageArgs {
  @Field(() => ArticleFilter, { nullable: true })
  filter?: ArticleFilter;
}
