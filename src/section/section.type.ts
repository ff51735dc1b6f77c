import { Field, ID, ObjectType } from "type-graphql";
import { toGlobalId } from "../graphql/global-id";
import { Node } from "../graphql/node.type";
import type { SectionRow } from "./section.service";

@ObjectType("Section", { implements: Node, simpleResolvers: true })
export class Section implements Node {
  constructor(readonly row: SectionRow) {}

  @Field(() => ID)
  get id(): string {
    return toGlobalId("Section", this.row.id);
  }

  @Field()
  get slug(): string {
    return this.row.slug;
  }

  @Field()
  get name(): string {
    return this.row.name;
  }

  @Field(() => String, { nullable: true })
  get description(): string | null {
    return this.row.description;
  }
}
