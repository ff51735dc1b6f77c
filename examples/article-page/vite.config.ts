import { defineConfig } from "vite";
import react from "@vitejs/plugin-react";

// `npm run build` writes a static site to dist/; `npm run preview` serves it (with the SPA
// fallback the two routes need). VITE_COURANT_URL is read at build time (see src/config.ts).
export default defineConfig({
  plugins: [react()],
  build: { target: "es2022", sourcemap: false },
  preview: { host: "127.0.0.1", port: 3000 },
  server: { host: "127.0.0.1", port: 3000 },
});
