import { Route, Routes } from "react-router";
import { ArticlePage } from "./ArticlePage";
import { SectionFront } from "./SectionFront";

/** The gateway's public URL scheme (src/site/site.urls.ts): /section/{slug} and /{language}/{slug}. */
export function App() {
  return (
    <Routes>
      <Route path="/" element={<SectionFront />} />
      <Route path="/section/:slug" element={<SectionFront />} />
      <Route path="/:lang/:slug" element={<ArticlePage />} />
      <Route
        path="*"
        element={
          <main id="main">
            <p role="alert">Not found</p>
          </main>
        }
      />
    </Routes>
  );
}
