# Sync 365 for production: `docker build -t sync365 .` (README, "Run in production").
# Build stage: every dependency, then the TypeScript build.
FROM node:24-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json .npmrc ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json nest-cli.json ./
COPY src ./src
COPY libs ./libs
COPY migrations ./migrations
RUN npm run build

# Runtime stage: production dependencies only, the build output and the views; runs as the unprivileged `node` user.
FROM node:24-bookworm-slim
ENV NODE_ENV=production PORT=3000
# V8 lets the heap grow to up to 4× what survived its last full collection when the heap may reach 2 GB or more (the
# default with 8 GB of memory or more); a 1 GB old space limits that to ~1.6×: an import of 1,000 customers peaked at
# 298 MB RSS instead of 485 MB (npm run bench), one of 10,000 at 300 MB, the live heap staying ~80 MB (npm run
# bench:memory). Raise it with the container's memory if ever the live heap nears it. Young objects get 8 MB semi-spaces
# instead of 16: they are collected twice as often, short-lived buffers (PostgreSQL results, statements) with them; the peak
# RSS over a 10,000-customer import and its follow-up work fell from 406 MB to 328 MB (with the alert evaluation in
# pages, npm run bench:memory) at no measured CPU cost (4 MB cost ~15 % more CPU).
ENV NODE_OPTIONS="--max-old-space-size=1024 --max-semi-space-size=8"
WORKDIR /app
COPY package.json package-lock.json .npmrc ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force
COPY --from=build /app/dist ./dist
COPY views ./views
USER node
EXPOSE 3000
# /health answers 200 while the database answers (503 otherwise).
HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/health').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["node", "dist/src/main.js"]
