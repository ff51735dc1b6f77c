import { Field, Float, Int, ObjectType, registerEnumType } from "type-graphql";
import { Article } from "../article/article.type";

export enum TrendingWindow {
  HOUR = "HOUR",
  DAY = "DAY",
  WEEK = "WEEK",
}
registerEnumType(TrendingWindow, {
  name: "TrendingWindow",
  valuesConfig: {
    HOUR: { description: "The last hour; views halve in weight every 30 minutes by default." },
    DAY: { description: "The last 24 hours; views halve in weight every 6 hours by default." },
    WEEK: { description: "The last 7 days; views halve in weight every 2 days by default." },
  },
});

@ObjectType("TrendingItem", { simpleResolvers: true })
export class TrendingItem {
  @Field(() => Int, { description: "Position in the list, from 1." })
  rank!: number;

  @Field(() => Float, { description: "Sum of the window's views, each weighted 2^(-age / half-life)." })
  score!: number;

  @Field(() => Int, { description: "Views counted inside the window." })
  views!: number;

  @Field(() => Article)
  article!: Article;
}

@ObjectType("Trending", { simpleResolvers: true })
export class Trending {
  @Field(() => TrendingWindow)
  window!: TrendingWindow;

  @Field(() => Date, { description: "When the list was computed (lists are cached for a short time)." })
  generatedAt!: Date;

  @Field(() => [TrendingItem])
  items!: TrendingItem[];
}
