import { Field, Int, ObjectType } from "type-graphql";
import { URLResolver } from "graphql-scalars";

/** An image as stored: a hero image or an avatar. */
export interface ImageRow {
  url: string;
  alt: string | null;
  caption: string | null;
  credit: string | null;
  width: number | null;
  height: number | null;
}

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
