import { useQuery } from "@apollo/client/react";
import { Link, useParams, useSearchParams } from "react-router";
import { SECTION_FRONT } from "./operations";
import { PAGE_SIZE, toPath } from "./config";
import { formatDate, stringsFor } from "./strings";
import { SectionHead } from "./Head";
import { Failure, Layout, Loading } from "./Layout";
import { Trending } from "./Trending";
import type { SectionFrontData } from "./types";

/**
 * A section's feed (or every section's, at /), newest first, with Trending beside it. "Older
 * stories" fetches the next page after the last cursor; the cache appends it (one list per
 * filter), so going back to this page from a story shows the same list without a request.
 */
export function SectionFront() {
  const { slug } = useParams();
  const [params] = useSearchParams();
  const language = params.get("lang");
  const { data, error, loading, fetchMore } = useQuery<SectionFrontData>(SECTION_FRONT, {
    variables: { section: slug ?? null, hasSection: Boolean(slug), language, first: PAGE_SIZE },
    notifyOnNetworkStatusChange: true,
  });
  if (!data && loading) return <Loading language={language ?? undefined} />;
  if (error && !data) return <Failure error={error} language={language ?? undefined} />;
  if (!data) return <Loading language={language ?? undefined} />;
  const ui = language ?? data.site.defaultLanguage;
  const t = stringsFor(ui);
  if (slug && !data.section) {
    return (
      <Layout site={data.site} language={ui}>
        <p role="alert">{t.notFound}</p>
      </Layout>
    );
  }
  const title = data.section?.name ?? data.site.name;
  const { edges, pageInfo } = data.articles;
  return (
    <Layout
      site={data.site}
      language={ui}
      aside={<Trending section={slug ?? null} language={language} uiLanguage={ui} />}
    >
      <SectionHead
        site={data.site}
        title={title}
        description={data.section?.description}
        canonical={data.section?.url ?? data.site.url}
      />
      <h1>{data.section ? data.section.name : t.latest}</h1>
      {data.section?.description ? <p className="section-description">{data.section.description}</p> : null}
      <ol className="feed">
        {edges.map(({ node }) => (
          <li key={node.id} lang={node.language} data-id={node.id}>
            <article>
              <h2>
                <Link to={toPath(node.url)}>{node.title}</Link>
              </h2>
              <p className="meta">
                {node.section.name}
                {node.publishedAt ? (
                  <>
                    {" · "}
                    <time dateTime={node.publishedAt}>{formatDate(node.publishedAt, node.language)}</time>
                  </>
                ) : null}
              </p>
              <p>{node.excerpt}</p>
            </article>
          </li>
        ))}
      </ol>
      {pageInfo.hasNextPage ? (
        <button
          type="button"
          className="more"
          disabled={loading}
          onClick={() => void fetchMore({ variables: { after: pageInfo.endCursor } })}
        >
          {t.older}
        </button>
      ) : null}
    </Layout>
  );
}
