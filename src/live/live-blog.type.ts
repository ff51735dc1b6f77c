import { Field, ID, Int, ObjectType, registerEnumType } from "type-graphql";
import { Connection } from "../graphql/connection";
import { toGlobalId } from "../graphql/global-id";
import { Node } from "../graphql/node.type";
import type { ArticleRow } from "../article/article.service";
import { liveBlogCursor, type LiveBlogRow, type LivePostRow } from "./live-blog.service";

export enum LiveBlogStatus {
  LIVE = "LIVE",
  ENDED = "ENDED",
}
registerEnumType(LiveBlogStatus, { name: "LiveBlogStatus" });

export enum LiveBlogEvent {
  STARTED = "STARTED",
  ENDED = "ENDED",
  POST_ADDED = "POST_ADDED",
  POST_UPDATED = "POST_UPDATED",
  POST_DELETED = "POST_DELETED",
  POST_PINNED = "POST_PINNED",
  POST_UNPINNED = "POST_UNPINNED",
}
registerEnumType(LiveBlogEvent, { name: "LiveBlogEvent", description: "What changed in a live blog." });

/** One short, timestamped post of a live blog. Relations and the body are resolved in LivePostResolver. */
@ObjectType("LivePost", { implements: Node, simpleResolvers: true })
export class LivePost implements Node {
  constructor(
    readonly row: LivePostRow,
    /** The article's language (ad labels) and the blog's pinned post, when known. */
    readonly language: string,
    readonly pinnedPostId: number | null,
  ) {}

  @Field(() => ID)
  get id(): string {
    return toGlobalId("LivePost", this.row.id);
  }

  @Field(() => String, { nullable: true })
  get title(): string | null {
    return this.row.title;
  }

  @Field(() => Date)
  get publishedAt(): Date {
    return this.row.publishedAt;
  }

  @Field(() => Date, { description: "Moves with every change, including pinning." })
  get updatedAt(): Date {
    return this.row.updatedAt;
  }

  @Field({ description: "The blog's pinned post (at most one)." })
  get pinned(): boolean {
    return this.pinnedPostId === this.row.id;
  }

  @Field({ description: "A key event: one of the moments readers jump between." })
  get keyEvent(): boolean {
    return this.row.keyEvent;
  }

  @Field(() => Int, { description: "Bumped on every change; send it with updateLivePost to detect conflicting edits." })
  get version(): number {
    return this.row.version;
  }
}

@ObjectType("LivePostConnection", { simpleResolvers: true })
export class LivePostConnection extends Connection<LivePost, LivePostRow>("LivePost", LivePost) {}

/** An article's live coverage. Posts, the pinned post and key events are resolved in LiveBlogResolver. */
@ObjectType("LiveBlog", { simpleResolvers: true })
export class LiveBlog {
  constructor(
    readonly row: LiveBlogRow,
    readonly article: ArticleRow,
  ) {}

  @Field(() => LiveBlogStatus)
  get status(): LiveBlogStatus {
    return this.row.status === "live" ? LiveBlogStatus.LIVE : LiveBlogStatus.ENDED;
  }

  @Field(() => Date)
  get coverageStartedAt(): Date {
    return this.row.startedAt;
  }

  @Field(() => Date, { nullable: true })
  get coverageEndedAt(): Date | null {
    return this.row.endedAt;
  }

  @Field(() => Date)
  get updatedAt(): Date {
    return this.row.updatedAt;
  }

  @Field({
    description:
      "Where the blog stands now: pass it (or any post cursor of this answer) as posts(since:) to get only what is new or changed.",
  })
  get cursor(): string {
    return liveBlogCursor(this.row.seq);
  }
}

/** What liveBlogUpdated sends: one change, the post it concerns, and the blog after it. */
@ObjectType("LiveBlogUpdate", { simpleResolvers: true })
export class LiveBlogUpdate {
  @Field(() => LiveBlogEvent)
  event!: LiveBlogEvent;

  @Field(() => ID, { nullable: true, description: "The post concerned (also for POST_DELETED)." })
  postId!: string | null;

  @Field(() => LivePost, { nullable: true, description: "The post as it is now; null when deleted or none." })
  post!: LivePost | null;

  @Field(() => LiveBlog)
  liveBlog!: LiveBlog;
}
