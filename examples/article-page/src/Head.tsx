import type { ArticlePageFields, SiteChrome } from "./types";

/**
 * Every head tag of the article page, in one place. React 19 hoists <title>, <meta> and <link>
 * rendered anywhere into <head> (and removes them when the page changes), so no helmet library.
 *
 * The hreflang alternates and the JSON-LD come from the API as they are (`seo.alternates`,
 * `seo.structuredData`): the page computes none of it.
 */
export function ArticleHead({ article, site }: { article: ArticlePageFields; site: SiteChrome }) {
  const { seo } = article;
  // "<" escaped, so no text in the data can close the script element.
  const jsonLd = JSON.stringify(seo.structuredData).replace(/</g, "\\u003c");
  return (
    <>
      <title>{`${seo.title} | ${site.name}`}</title>
      <meta name="description" content={seo.description} />
      <link rel="canonical" href={seo.canonicalUrl} />
      <meta property="og:type" content="article" />
      <meta property="og:site_name" content={site.name} />
      <meta property="og:title" content={seo.title} />
      <meta property="og:description" content={seo.description} />
      <meta property="og:url" content={seo.canonicalUrl} />
      <meta property="og:locale" content={article.language} />
      {seo.imageUrl ? <meta property="og:image" content={seo.imageUrl} /> : null}
      {article.publishedAt ? <meta property="article:published_time" content={article.publishedAt} /> : null}
      <meta property="article:section" content={article.section.name} />
      {seo.alternates.map((a) => (
        <link key={a.hreflang} rel="alternate" hrefLang={a.hreflang} href={a.url} />
      ))}
      <script type="application/ld+json" dangerouslySetInnerHTML={{ __html: jsonLd }} />
    </>
  );
}

export function SectionHead({
  site,
  title,
  description,
  canonical,
}: {
  site: SiteChrome;
  title: string;
  description: string | null | undefined;
  canonical: string;
}) {
  return (
    <>
      <title>{title === site.name ? title : `${title} | ${site.name}`}</title>
      {description ? <meta name="description" content={description} /> : null}
      <link rel="canonical" href={canonical} />
      <meta property="og:type" content="website" />
      <meta property="og:site_name" content={site.name} />
      <meta property="og:title" content={title} />
      <meta property="og:url" content={canonical} />
    </>
  );
}
