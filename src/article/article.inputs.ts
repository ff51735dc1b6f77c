import { Field, ID, InputType, Int } from "type-graphql";
import { LocaleResolver, URLResolver } from "graphql-scalars";
import { ArrayMaxSize, IsOptional, Length, Matches, MaxLength, Min, ValidateNested } from "class-validator";
import { ImageInput } from "../graphql/image.input";
import { SLUG_PATTERN } from "../db/slug";
import { ClientMutationInput } from "../graphql/client-mutation.input";

@InputType("ArticleSourceInput")
export class ArticleSourceInput {
  @Field()
  @Length(1, 200)
  name!: string;

  @Field(() => URLResolver, { nullable: true })
  url?: string;
}

@InputType("CreateArticleInput")
export class CreateArticleInput extends ClientMutationInput {
  @Field()
  @Length(1, 300)
  title!: string;

  @Field(() => String, { nullable: true, description: "Derived from the title when absent." })
  @IsOptional()
  @Length(1, 200)
  @Matches(SLUG_PATTERN, { message: "slug must be lowercase letters, digits and single hyphens" })
  slug?: string;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @MaxLength(1000)
  standfirst?: string;

  @Field(() => LocaleResolver)
  language!: string;

  @Field(() => ID)
  sectionId!: string;

  @Field(() => [ID])
  @ArrayMaxSize(20)
  authorIds!: string[];

  @Field(() => [String], { nullable: true })
  @IsOptional()
  @ArrayMaxSize(50)
  @Length(1, 100, { each: true })
  tags?: string[];

  @Field({ description: "HTML; sanitised on the way in." })
  body!: string;

  @Field(() => ImageInput, { nullable: true })
  @IsOptional()
  @ValidateNested()
  heroImage?: ImageInput;

  @Field(() => ID, {
    nullable: true,
    description: "Id of the article this one translates; links the two as one story.",
  })
  translationOf?: string;

  @Field(() => ArticleSourceInput, { nullable: true })
  @IsOptional()
  @ValidateNested()
  source?: ArticleSourceInput;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @MaxLength(2000)
  disclaimer?: string;
}

@InputType("UpdateArticleInput")
export class UpdateArticleInput {
  @Field(() => String, { nullable: true })
  @IsOptional()
  @Length(1, 300)
  title?: string;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @Length(1, 200)
  @Matches(SLUG_PATTERN, { message: "slug must be lowercase letters, digits and single hyphens" })
  slug?: string;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @MaxLength(1000)
  standfirst?: string;

  @Field(() => ID, { nullable: true })
  sectionId?: string;

  @Field(() => [ID], { nullable: true })
  @IsOptional()
  @ArrayMaxSize(20)
  authorIds?: string[];

  @Field(() => [String], { nullable: true })
  @IsOptional()
  @ArrayMaxSize(50)
  @Length(1, 100, { each: true })
  tags?: string[];

  @Field(() => String, { nullable: true })
  body?: string;

  @Field(() => ImageInput, { nullable: true })
  @IsOptional()
  @ValidateNested()
  heroImage?: ImageInput;

  @Field(() => ArticleSourceInput, { nullable: true })
  @IsOptional()
  @ValidateNested()
  source?: ArticleSourceInput;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @MaxLength(2000)
  disclaimer?: string;

  @Field(() => Int, {
    nullable: true,
    description: "The article's version this edit is based on; a newer stored version fails the update with CONFLICT.",
  })
  @IsOptional()
  @Min(1)
  version?: number;
}
