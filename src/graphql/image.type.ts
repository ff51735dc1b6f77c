import { Field, Int, ObjectType } from "type-graphql";
import { URLResolver } from "graphql-scalars";
import type { ImageRow } from "../article/article.service";

@ObjectType("Image", { simpleResolvers: true })
export class Image {
  @Field(() => URLResolver)
  url!: string;

  @Field(() => String, { nullable: true })
  alt!: string | null;

  @Field(() => String, { nullable: true })
  caption!: string | null;

  @Field(() => String, { nullable: true })
  credit!: string | null;

  @Field(() => Int, { nullable: true })
  width!: number | null;

  @Field(() => Int, { nullable: true })
  height!: number | null;

  static from(row: ImageRow | null): Image | null {
    return row ? Object.assign(new Image(), row) : null;
  }
}
