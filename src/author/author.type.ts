import { Field, ID, ObjectType } from "type-graphql";
import { Connection } from "../graphql/connection";
import { toGlobalId } from "../graphql/global-id";
import { Image } from "../graphql/image.type";
import { Node } from "../graphql/node.type";
import type { AuthorRow } from "./author.service";

/** An author's public face; the private e-mail is not part of AuthorRow at all. */
@ObjectType("Author", { implements: Node, simpleResolvers: true })
export class Author implements Node {
  constructor(readonly row: AuthorRow) {}

  @Field(() => ID)
  get id(): string {
    return toGlobalId("Author", this.row.id);
  }

  @Field()
  get slug(): string {
    return this.row.slug;
  }

  @Field()
  get name(): string {
    return this.row.name;
  }

  @Field(() => String, { nullable: true, description: "e.g. 'Moscow correspondent'." })
  get role(): string | null {
    return this.row.role;
  }

  @Field(() => String, { nullable: true })
  get bio(): string | null {
    return this.row.bio;
  }

  @Field(() => Image, { nullable: true })
  get avatar(): Image | null {
    return Image.from(this.row.avatar);
  }
}

@ObjectType("AuthorConnection", { simpleResolvers: true })
export class AuthorConnection extends Connection<Author, AuthorRow>("Author", Author) {}
