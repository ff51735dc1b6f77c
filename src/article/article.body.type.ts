import { createUnionType, Field, Int, ObjectType } from "type-graphql";
import { URLResolver } from "graphql-scalars";
import { Image } from "../graphql/image.type";
import type { BodyBlock } from "./article.body";

@ObjectType("ParagraphBlock", { simpleResolvers: true })
export class ParagraphBlock {
  @Field()
  html!: string;

  @Field()
  text!: string;
}

@ObjectType("HeadingBlock", { simpleResolvers: true })
export class HeadingBlock {
  @Field(() => Int)
  level!: number;

  @Field()
  text!: string;
}

@ObjectType("QuoteBlock", { simpleResolvers: true })
export class QuoteBlock {
  @Field()
  text!: string;

  @Field(() => String, { nullable: true })
  attribution!: string | null;
}

@ObjectType("ListBlock", { simpleResolvers: true })
export class ListBlock {
  @Field()
  ordered!: boolean;

  @Field(() => [String])
  items!: string[];
}

@ObjectType("ImageBlock", { simpleResolvers: true })
export class ImageBlock {
  @Field(() => Image)
  image!: Image;
}

@ObjectType("EmbedBlock", { simpleResolvers: true })
export class EmbedBlock {
  @Field()
  provider!: string;

  @Field(() => URLResolver)
  url!: string;
}

@ObjectType("AdSlotBlock", { simpleResolvers: true, description: "Where a client may place an advertisement." })
export class AdSlotBlock {
  @Field()
  slotId!: string;

  @Field(() => Int, { description: "Index of this block in the blocks list." })
  position!: number;

  @Field({ description: "Label to show above the ad, in the article's language (e.g. 'advertentie')." })
  label!: string;
}

export const ArticleBlock = createUnionType({
  name: "ArticleBlock",
  types: () => [ParagraphBlock, HeadingBlock, QuoteBlock, ListBlock, ImageBlock, EmbedBlock, AdSlotBlock] as const,
});

/** Presents a parsed block as its GraphQL type. */
export function presentBlock(b: BodyBlock): typeof ArticleBlock {
  switch (b.kind) {
    case "paragraph":
      return Object.assign(new ParagraphBlock(), { html: b.html, text: b.text });
    case "heading":
      return Object.assign(new HeadingBlock(), { level: b.level, text: b.text });
    case "quote":
      return Object.assign(new QuoteBlock(), { text: b.text, attribution: b.attribution });
    case "list":
      return Object.assign(new ListBlock(), { ordered: b.ordered, items: b.items });
    case "image":
      return Object.assign(new ImageBlock(), {
        image: Image.from({
          url: b.url,
          alt: b.alt,
          caption: b.caption,
          credit: null,
          width: b.width,
          height: b.height,
        })!,
      });
    case "embed":
      return Object.assign(new EmbedBlock(), { provider: b.provider, url: b.url });
    case "ad":
      return Object.assign(new AdSlotBlock(), { slotId: b.slotId, position: b.position, label: b.label });
  }
}
