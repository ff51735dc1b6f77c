import { Field, Int, ObjectType, type ClassType } from "type-graphql";
import type { Page } from "./pagination";

@ObjectType("PageInfo", { simpleResolvers: true })
export class PageInfo {
  @Field()
  hasNextPage!: boolean;

  @Field()
  hasPreviousPage!: boolean;

  @Field(() => String, { nullable: true })
  startCursor!: string | null;

  @Field(() => String, { nullable: true })
  endCursor!: string | null;
}

export interface EdgeShape<T> {
  cursor: string;
  node: T;
}

/**
 * A Relay connection over one page. totalCount is a method so the count query runs only
 * when a client asks for it.
 */
export interface ConnectionSource<R, T> {
  page: Page<R>;
  cursor: (row: R) => string;
  present: (row: R) => T;
  count: () => Promise<number>;
  /** Whether `count` is an estimate (absent: it never is). */
  countIsEstimate?: () => Promise<boolean>;
}

export function Connection<T extends object, R>(name: string, nodeType: ClassType<T>) {
  @ObjectType(`${name}Edge`, { simpleResolvers: true })
  class Edge implements EdgeShape<T> {
    @Field()
    cursor!: string;

    @Field(() => nodeType)
    node!: T;
  }

  @ObjectType({ simpleResolvers: true })
  abstract class ConnectionBase {
    private readonly edgeList: Edge[];

    constructor(private readonly source: ConnectionSource<R, T>) {
      this.edgeList = source.page.items.map((row) =>
        Object.assign(new Edge(), { cursor: source.cursor(row), node: source.present(row) }),
      );
    }

    @Field(() => [Edge])
    get edges(): Edge[] {
      return this.edgeList;
    }

    @Field(() => [nodeType])
    get nodes(): T[] {
      return this.edgeList.map((e) => e.node);
    }

    @Field(() => PageInfo)
    get pageInfo(): PageInfo {
      return Object.assign(new PageInfo(), {
        hasNextPage: this.source.page.hasNextPage,
        hasPreviousPage: this.source.page.hasPreviousPage,
        startCursor: this.edgeList[0]?.cursor ?? null,
        endCursor: this.edgeList[this.edgeList.length - 1]?.cursor ?? null,
      });
    }

    @Field(() => Int, {
      description:
        "How many items the list holds. Article lists count exactly up to ARTICLE_COUNT_EXACT_LIMIT (10,000 by default); a longer article list's count is an ESTIMATE from its publishing rate, and totalCountIsEstimate is then true.",
    })
    totalCount(): Promise<number> {
      return this.source.count();
    }

    @Field(() => Boolean, {
      description:
        "True when totalCount is an estimate (an article list longer than ARTICLE_COUNT_EXACT_LIMIT): exact counting would read every entry of the list.",
    })
    async totalCountIsEstimate(): Promise<boolean> {
      return (await this.source.countIsEstimate?.()) ?? false;
    }
  }
  return ConnectionBase;
}
