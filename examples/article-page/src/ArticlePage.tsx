import { useEffect, useRef } from "react";
import { useQuery } from "@apollo/client/react";
import { Link, useNavigate, useParams, useSearchParams } from "react-router";
import { ARTICLE_PAGE } from "./operations";
import { BEACON_URL, toPath } from "./config";
import { formatDate, languageName, stringsFor } from "./strings";
import { ArticleHead } from "./Head";
import { Failure, Layout, Loading } from "./Layout";
import { Trending } from "./Trending";
import { Newsletter } from "./Newsletter";
import type { ArticlePageData, ArticlePageFields, Block, HeroImage } from "./types";

const SHARE_NETWORKS: Array<[keyof ArticlePageFields["shareLinks"], string]> = [
  ["facebook", "Facebook"],
  ["x", "X"],
  ["linkedin", "LinkedIn"],
  ["whatsapp", "WhatsApp"],
  ["telegram", "Telegram"],
  ["reddit", "Reddit"],
  ["email", "E-mail"],
];

/** One view per page view: sent when the page shows a story, never again until the next one. */
function useViewBeacon(articleId: string | undefined) {
  const sent = useRef<string | null>(null);
  useEffect(() => {
    if (!articleId || sent.current === articleId) return;
    sent.current = articleId;
    // A string body goes as text/plain: no CORS preflight, and it survives the page closing.
    const body = JSON.stringify({ articleId, viewId: crypto.randomUUID() });
    navigator.sendBeacon(BEACON_URL, body);
  }, [articleId]);
}

function ShareBar({ links, label, title }: { links: ArticlePageFields["shareLinks"]; label: string; title: string }) {
  return (
    <nav className="share" aria-label={`${label} ${title}`}>
      <span className="share-label">{label}</span>
      <ul>
        {SHARE_NETWORKS.map(([key, name]) => (
          <li key={key}>
            <a href={links[key]} target={key === "email" ? undefined : "_blank"} rel="noopener" data-network={key}>
              {name}
            </a>
          </li>
        ))}
      </ul>
    </nav>
  );
}

function Picture({ image, priority, sizes }: { image: HeroImage; priority?: boolean; sizes: string }) {
  return (
    <figure className="picture">
      <img
        src={image.w800}
        srcSet={`${image.w480} 480w, ${image.w800} 800w, ${image.w1280} 1280w, ${image.w1600} 1600w`}
        sizes={sizes}
        width={image.width ?? 1600}
        height={image.height ?? 900}
        alt={image.alt ?? ""}
        fetchPriority={priority ? "high" : "auto"}
        loading={priority ? "eager" : "lazy"}
        decoding="async"
      />
      {image.caption || image.credit ? (
        <figcaption>
          {image.caption} {image.credit ? <span className="credit">{image.credit}</span> : null}
        </figcaption>
      ) : null}
    </figure>
  );
}

function BodyBlock({ block }: { block: Block }) {
  switch (block.__typename) {
    case "ParagraphBlock":
      // Sanitised by the gateway (Article.body); links and emphasis are kept.
      return <p dangerouslySetInnerHTML={{ __html: block.html }} />;
    case "HeadingBlock": {
      const H = `h${Math.min(6, Math.max(2, block.level))}` as "h2";
      return <H>{block.text}</H>;
    }
    case "QuoteBlock":
      return (
        <blockquote>
          <p>{block.text}</p>
          {block.attribution ? <footer>{block.attribution}</footer> : null}
        </blockquote>
      );
    case "ListBlock": {
      const L = block.ordered ? "ol" : "ul";
      return (
        <L>
          {block.items.map((item, i) => (
            <li key={i}>{item}</li>
          ))}
        </L>
      );
    }
    case "ImageBlock":
      return <Picture image={block.image} sizes="(min-width: 960px) 42rem, 100vw" />;
    case "EmbedBlock":
      return (
        <p className="embed">
          <a href={block.url} rel="noopener" target="_blank">
            {block.provider}: {block.url}
          </a>
        </p>
      );
    case "AdSlotBlock":
      // The ad's space is reserved (CSS: .ad-slot), so an ad arriving later moves nothing.
      return (
        <aside className="ad-slot" aria-label={block.label} data-slot-id={block.slotId}>
          <span className="ad-label">{block.label}</span>
        </aside>
      );
  }
}

export function ArticlePage() {
  const { lang = "", slug = "" } = useParams();
  const [params, setParams] = useSearchParams();
  const navigate = useNavigate();
  const edition = params.get("edition") || lang;
  const { data, error, loading } = useQuery<ArticlePageData>(ARTICLE_PAGE, {
    variables: { slug, language: lang, edition },
  });
  const article = data?.article?.shown ?? null;
  // The story exists in the edition asked for: show it at its own address.
  const moved = article !== null && edition !== lang && article.language === edition;
  useEffect(() => {
    if (moved) navigate(toPath(article.url), { replace: true });
  }, [moved, article, navigate]);
  useViewBeacon(moved ? undefined : article?.id);

  if (loading && !data) return <Loading language={lang} />;
  if (error) return <Failure error={error} language={lang} />;
  if (!data || !article) {
    return (
      <main id="main" className="failure">
        <p role="alert">{stringsFor(lang).notFound}</p>
      </main>
    );
  }
  const ui = article.language;
  const t = stringsFor(ui);
  const site = data.site;
  return (
    <Layout
      site={site}
      language={ui}
      aside={<Trending section={article.section.slug} language={article.language} uiLanguage={ui} />}
    >
      <ArticleHead article={article} site={site} />
      <article className="story" lang={article.language}>
        {edition !== article.language ? (
          <p className="fallback-notice" role="note" data-requested={edition} data-shown={article.language}>
            {t.fallback(languageName(edition, ui), languageName(article.language, ui))}
          </p>
        ) : null}
        <p className="section-label">
          <Link to={`${toPath(article.section.url)}?lang=${encodeURIComponent(article.language)}`}>
            {article.section.name}
          </Link>
        </p>
        <h1>{article.title}</h1>
        <ShareBar links={article.shareLinks} label={t.share} title={article.title} />
        {article.publishedAt ? (
          <p className="published">
            {t.published} <time dateTime={article.publishedAt}>{formatDate(article.publishedAt, ui)}</time>
          </p>
        ) : null}
        {article.byline ? <p className="byline">{article.byline}</p> : null}
        {article.heroImage ? (
          <Picture image={article.heroImage} priority sizes="(min-width: 960px) 42rem, 100vw" />
        ) : null}
        <div className="story-body">
          {article.body.blocks.map((block, i) => (
            <BodyBlock key={i} block={block} />
          ))}
        </div>
        <ShareBar links={article.shareLinks} label={t.shareArticle} title={article.title} />
        {article.disclaimer ? <p className="disclaimer">{article.disclaimer}</p> : null}
        <nav className="languages" aria-label={t.otherLanguages}>
          {article.translations.length ? (
            <>
              <span>{t.otherLanguages}:</span>
              <ul>
                {article.translations.map((v) => (
                  <li key={v.id}>
                    <Link to={toPath(v.url)} hrefLang={v.language} lang={v.language}>
                      {languageName(v.language, v.language)}
                    </Link>
                  </li>
                ))}
              </ul>
            </>
          ) : null}
          <label>
            {t.edition}{" "}
            <select
              name="edition"
              value={edition}
              onChange={(e) => setParams(e.target.value === lang ? {} : { edition: e.target.value })}
            >
              {site.languages.map((l) => (
                <option key={l} value={l} lang={l}>
                  {languageName(l, l)}
                </option>
              ))}
            </select>
          </label>
        </nav>
      </article>
      <Newsletter consentText={site.newsletterConsentText ?? ""} language={ui} />
    </Layout>
  );
}
