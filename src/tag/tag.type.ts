import { Field, ID, ObjectType } from "type-graphql";
import { toGlobalId } from "../graphql/global-id";
import { Node } from "../graphql/node.type";
import type { TagRow } from "./tag.service";

@ObjectType("Tag", { implements: Node, simpleResolvers: true })
export class Tag implements Node {
  constructor(readonly row: TagRow) {}

  @Field(() => ID)
  get id(): string {
    return toGlobalId("Tag", this.row.id);
  }

  @Field()
  get slug(): string {
    return this.row.slug;
  }

  @Field()
  get name(): string {
    return this.row.name;
  }
}
