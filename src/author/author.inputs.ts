import { Field, InputType } from "type-graphql";
import { IsOptional, Length, Matches, MaxLength, ValidateNested } from "class-validator";
import { SLUG_PATTERN } from "../db/slug";
import { ImageInput } from "../graphql/image.input";

@InputType("AuthorInput")
export class AuthorInput {
  @Field()
  @Length(1, 200)
  name!: string;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @Length(1, 120)
  @Matches(SLUG_PATTERN, { message: "slug must be lowercase letters, digits and single hyphens" })
  slug?: string;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @MaxLength(200)
  role?: string;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @MaxLength(5000)
  bio?: string;

  @Field(() => ImageInput, { nullable: true })
  @IsOptional()
  @ValidateNested()
  avatar?: ImageInput;
}
