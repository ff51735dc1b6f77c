import { useEffect, type ReactNode } from "react";
import { Link } from "react-router";
import type { SiteChrome } from "./types";
import { stringsFor } from "./strings";

function SocialLinks({ site, label }: { site: SiteChrome; label: string }) {
  if (site.socialLinks.length === 0) return null;
  return (
    <nav className="social" aria-label={label}>
      <span className="social-label">{label}</span>
      <ul>
        {site.socialLinks.map((l) => (
          <li key={l.network}>
            <a href={l.url} rel="me noopener" target="_blank" data-network={l.network}>
              {l.network}
            </a>
          </li>
        ))}
      </ul>
    </nav>
  );
}

/** Landmarks every page shares: skip link, banner, main, content info. */
export function Layout({
  site,
  language,
  aside,
  children,
}: {
  site: SiteChrome;
  language: string;
  aside?: ReactNode;
  children: ReactNode;
}) {
  const t = stringsFor(language);
  useEffect(() => {
    document.documentElement.lang = language;
  }, [language]);
  return (
    <>
      <a className="skip-link" href="#main">
        {t.skip}
      </a>
      <header className="site-header">
        <Link className="site-name" to="/">
          {site.name}
        </Link>
        <SocialLinks site={site} label={t.connect} />
      </header>
      <div className="page">
        <main id="main" tabIndex={-1}>
          {children}
        </main>
        {aside ? <aside className="sidebar">{aside}</aside> : null}
      </div>
      <footer className="site-footer">
        <SocialLinks site={site} label={t.connect} />
        <p>{site.name}</p>
      </footer>
    </>
  );
}

/** While the first answer is on its way: nothing that the answer would push around. */
export function Loading({ language }: { language?: string }) {
  return (
    <main id="main" aria-busy="true" className="loading">
      {stringsFor(language).loading}
    </main>
  );
}

export function Failure({ error, language }: { error: { message: string }; language?: string }) {
  return (
    <main id="main" className="failure">
      <p role="alert">
        {stringsFor(language).failed} {error.message}
      </p>
    </main>
  );
}
