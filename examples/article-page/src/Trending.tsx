import { useQuery } from "@apollo/client/react";
import { Link } from "react-router";
import { TRENDING } from "./operations";
import { stringsFor } from "./strings";
import { toPath } from "./config";
import type { TrendingData } from "./types";

/** Most-read stories, ranked by the API; room for the list is kept while it loads. */
export function Trending({
  section,
  language,
  uiLanguage,
  first = 5,
}: {
  section?: string | null;
  language?: string | null;
  uiLanguage: string;
  first?: number;
}) {
  const t = stringsFor(uiLanguage);
  const { data } = useQuery<TrendingData>(TRENDING, {
    variables: { section: section ?? null, language: language ?? null, first },
    fetchPolicy: "cache-and-network",
  });
  const items = data?.trending.items;
  return (
    <section className="trending" aria-labelledby="trending-title">
      <h2 id="trending-title">{t.trending}</h2>
      {items && items.length === 0 ? <p>{t.noTrending}</p> : null}
      <ol aria-busy={!items}>
        {items?.map((item) => (
          <li key={item.article.id} data-rank={item.rank} data-views={item.views}>
            <Link to={toPath(item.article.url)} lang={item.article.language}>
              {item.article.title}
            </Link>
            <span className="views">{t.views(item.views)}</span>
          </li>
        ))}
      </ol>
    </section>
  );
}
