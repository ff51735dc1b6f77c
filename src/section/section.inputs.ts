import { Field, ID, InputType } from "type-graphql";
import { IsOptional, Length, Matches, MaxLength } from "class-validator";
import { SLUG_PATTERN } from "../db/slug";

@InputType("SectionInput")
export class SectionInput {
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
  @MaxLength(2000)
  description?: string;

  @Field(() => ID, { nullable: true })
  parentId?: string;
}
