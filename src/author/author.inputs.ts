import { Field, InputType } from "type-graphql";
import { IsOptional, Length, Matches, MaxLength, ValidateNested } from "class-validator";
import { SLUG_PATTERN } from "../db/slug";
import { ImageInput } from "../graphql/image.input";
import { ClientMutationInput } from "../graphql/client-mutation.input";

/**
 * Creates and updates share this input (the public contract names it for both). On update it is
 * a patch: a field left out is kept, null clears it. The name is required on create only.
 */
@InputType("AuthorInput", {
  description: "On create, name is required. On update, a field left out is kept and null clears it.",
})
export class AuthorInput extends ClientMutationInput {
  @Field(() => String, { nullable: true })
  @IsOptional()
  @Length(1, 200)
  name?: string | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @Length(1, 120)
  @Matches(SLUG_PATTERN, { message: "slug must be lowercase letters, digits and single hyphens" })
  slug?: string | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @MaxLength(200)
  role?: string | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @MaxLength(5000)
  bio?: string | null;

  @Field(() => ImageInput, { nullable: true })
  @IsOptional()
  @ValidateNested()
  avatar?: ImageInput | null;
}
