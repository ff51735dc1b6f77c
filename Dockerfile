# Build stage: compile TypeScript and the native SQLite driver.
FROM node:20-bookworm-slim AS build
WORKDIR /app
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json .npmrc ./
# The reference article page is an npm workspace: npm ci needs its manifest (its packages are dev only).
COPY examples/article-page/package.json ./examples/article-page/
RUN sed -i '/^nodedir=/d' .npmrc && npm ci --ignore-scripts && npm rebuild better-sqlite3
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY migrations ./migrations
COPY scripts ./scripts
COPY bench ./bench
RUN npm run build && npm prune --omit=dev

# Runtime stage: production mode, unprivileged user.
FROM node:20-bookworm-slim
# A heap sized for a small (2-core) box: the old generation is collected before it passes 256 MB,
# which keeps resident memory near 200 MB under load (bench/soak.ts), instead of growing lazily.
ENV NODE_ENV=production HOST=0.0.0.0 PORT=4000 NODE_OPTIONS="--max-old-space-size=256 --max-semi-space-size=16"
WORKDIR /app
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json ./
COPY bin ./bin
USER node
EXPOSE 4000
HEALTHCHECK --interval=10s --timeout=3s --retries=5 CMD node -e "fetch('http://127.0.0.1:4000/healthz').then(r=>process.exit(r.ok?0:1)).catch(()=>process.exit(1))"
CMD ["node", "bin/courant.js", "serve"]
