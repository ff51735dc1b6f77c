import {
  EventSubscriber,
  type EntitySubscriberInterface,
  type InsertEvent,
  type ObjectLiteral,
  type UpdateEvent,
} from "typeorm";
import { ArticleEntity } from "./article.entity";
import { articleBodyText } from "./article.text";

/** Derives `bodyText` wherever a body is written: an entity or a partial values object. */
function fill(values: ObjectLiteral | undefined): void {
  if (values && typeof values.body === "string") values.bodyText = articleBodyText(values.body);
}

/**
 * Keeps `articles.body_text` (what search indexes) in step with `body` on every write through
 * TypeORM: repository save, insert and update, and query builder inserts and updates. Raw SQL
 * must write body_text itself (see src/seed/bench.ts).
 */
@EventSubscriber()
export class ArticleBodyTextSubscriber implements EntitySubscriberInterface<ArticleEntity> {
  listenTo(): typeof ArticleEntity {
    return ArticleEntity;
  }

  beforeInsert(event: InsertEvent<ArticleEntity>): void {
    fill(event.entity);
  }

  beforeUpdate(event: UpdateEvent<ArticleEntity>): void {
    fill(event.entity);
  }
}
