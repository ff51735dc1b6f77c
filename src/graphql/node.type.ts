import { Field, ID, InterfaceType } from "type-graphql";

@InterfaceType("Node", {
  description: "An object with a globally unique, opaque ID (Relay Global Object Identification).",
})
export abstract class Node {
  @Field(() => ID)
  id!: string;
}
