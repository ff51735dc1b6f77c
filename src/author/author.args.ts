import { ArgsType, Field, ID } from "type-graphql";

/** author(id | slug): exactly one of the two. */
@ArgsType()
export class AuthorLookupArgs {
  @Field(() => ID, { nullable: true })
  id?: string;

  @Field(() => String, { nullable: true })
  slug?: string;
}
