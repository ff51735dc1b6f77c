import { ArgsType, Field, ID, InputType, Int } from "type-graphql";
import { Max, MaxLength, Min } from "class-validator";
import { PageArgs } from "../graphql/pagination";

@ArgsType()
export class LivePostsArgs extends PageArgs {
  @Field(() => String, {
    nullable: true,
    description:
      "A cursor from an earlier answer (any post cursor, or LiveBlog.cursor): only posts added or changed since then.",
  })
  since?: string;
}

@ArgsType()
export class KeyEventsArgs {
  @Field(() => Int, { nullable: true, defaultValue: 10 })
  @Min(1)
  @Max(50)
  first?: number;
}

@InputType()
export class AddLivePostInput {
  @Field(() => String, { nullable: true })
  @MaxLength(300)
  title?: string | null;

  @Field({ description: "HTML, sanitised by the same allow-list as article bodies; at most 64 kB." })
  body!: string;

  @Field(() => [ID], { nullable: true, description: "Byline order." })
  authorIds?: string[] | null;

  @Field(() => Boolean, { nullable: true })
  keyEvent?: boolean | null;

  @Field(() => Boolean, { nullable: true, description: "Pin it (the post pinned before is unpinned)." })
  pinned?: boolean | null;
}

@InputType()
export class UpdateLivePostInput {
  @Field(() => String, { nullable: true })
  @MaxLength(300)
  title?: string | null;

  @Field(() => String, { nullable: true })
  body?: string | null;

  @Field(() => [ID], { nullable: true })
  authorIds?: string[] | null;

  @Field(() => Boolean, { nullable: true })
  keyEvent?: boolean | null;

  @Field(() => Boolean, { nullable: true })
  pinned?: boolean | null;
}
