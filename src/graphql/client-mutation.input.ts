import { Field, InputType } from "type-graphql";
import { IsOptional, Length } from "class-validator";

/** Inputs of creates: an idempotency key, so a create retried after a lost answer makes one row. */

// Named only because type-graphql needs a decorated parent to inherit fields; never used as an input itself.
@InputType("ClientMutationInput")
export class ClientMutationInput {
  @Field(() => String, {
    nullable: true,
    description:
      "Creates only: a client-made id of this create (a UUID), kept 24 hours; the same create sent again with it returns what the first one made instead of making another.",
  })
  @IsOptional()
  @Length(1, 100)
  clientMutationId?: string | null;
}
