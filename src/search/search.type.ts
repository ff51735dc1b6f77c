import { Field, Float, Int, ObjectType } from "type-graphql";
import { Article } from "../article/article.type";
import { PageInfo } from "../graphql/connection";
import { highlight } from "./search.highlight";
import type { SearchQuery } from "./search.query";
import { SCORE_SCALE, type SearchHit } from "./search.service";

@ObjectType("ArticleSearchEdge", { simpleResolvers: true })
export class ArticleSearchEdge {
  private passage: string | null | undefined;

  constructor(
    private readonly hit: SearchHit,
    private readonly query: SearchQuery,
    private readonly at: string,
  ) {}

  @Field()
  get cursor(): string {
    return this.at;
  }

  @Field(() => Article)
  get node(): Article {
    return new Article(this.hit.row);
  }

  @Field(() => Float)
  get score(): number {
    return this.hit.score / SCORE_SCALE;
  }

  /** Computed only when asked for, and only for the page's rows. */
  @Field(() => String, { nullable: true, description: "Matching passage with the matched terms wrapped in <mark>." })
  get highlight(): string | null {
    if (this.passage === undefined) {
      const { row, bodyText } = this.hit;
      this.passage = highlight(this.query, { title: row.title, standfirst: row.standfirst, bodyText });
    }
    return this.passage;
  }
}

@ObjectType("ArticleSearchConnection", { simpleResolvers: true })
export class ArticleSearchConnection {
  constructor(
    private readonly edgeList: ArticleSearchEdge[],
    private readonly info: PageInfo,
    private readonly count: () => Promise<number>,
  ) {}

  @Field(() => [ArticleSearchEdge])
  get edges(): ArticleSearchEdge[] {
    return this.edgeList;
  }

  @Field(() => PageInfo)
  get pageInfo(): PageInfo {
    return this.info;
  }

  /** Usually counted by the page's own statement; a separate count only past the last page. */
  @Field(() => Int)
  totalCount(): Promise<number> {
    return this.count();
  }
}
