# cosell-sync container: `docker build -t cosell-sync .`, then run with the configuration at
# /app/config/cosell-sync.yaml, secrets in the environment (or NAME_FILE secret mounts) and the
# SQLite store on the /app/var volume.

# --- build: full toolchain, dev dependencies, TypeScript compile and bundle ------------------
FROM node:20-slim AS build
WORKDIR /app
# better-sqlite3 is compiled from source (its prebuilt binaries are not fetched); the official
# image ships Node's headers under /usr/local.
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
ENV npm_config_nodedir=/usr/local
COPY package.json package-lock.json ./
# Exactly the committed lockfile. Install scripts wait: the package's own `prepare` is the
# TypeScript build, which needs the sources copied below; better-sqlite3, the one dependency with
# a native part, is compiled right after.
RUN npm ci --ignore-scripts --no-audit --no-fund \
 && npm rebuild better-sqlite3
COPY tsconfig.json ./
COPY src ./src
COPY connectors ./connectors
COPY mappings ./mappings
COPY sandbox ./sandbox
COPY scripts ./scripts
RUN npm run build \
 && npm prune --omit=dev

# --- runtime: production dependencies (already compiled) and the build output only -----------
FROM node:20-slim
ENV NODE_ENV=production
WORKDIR /app
COPY --from=build /app/package.json ./package.json
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY mappings/*.yaml ./mappings/
COPY config/cosell-sync.example.yaml ./config/cosell-sync.example.yaml
RUN groupadd --system cosell \
 && useradd --system --gid cosell --home-dir /app --shell /usr/sbin/nologin cosell \
 && mkdir -p /app/var \
 && chown cosell:cosell /app/var
USER cosell
VOLUME ["/app/var"]
# Published: the webhook receiver only (server.webhooks.port, default 8788, bound to 0.0.0.0), which
# Partner Center must reach. The admin listener (status page, conflicts, failures, metrics;
# server.port, default 8787) stays on the container's loopback: reach it with `docker exec`, or
# publish it yourself on a private address (`-p 127.0.0.1:8787:8787` with server.host 0.0.0.0).
EXPOSE 8788
# `cosell-sync healthcheck` asks /healthz on the admin listener the configuration names.
HEALTHCHECK --interval=30s --timeout=10s --start-period=30s --retries=3 \
  CMD ["node", "dist/cli/cosell-sync.js", "healthcheck"]
# A young generation of 4 MB instead of V8's 16 MB keeps the daemon's peak memory 20 to 30 MB
# lower through a backfill, for the same CPU (docs/operations.md, "Memory").
ENTRYPOINT ["node", "--max-semi-space-size=4", "dist/cli/cosell-sync.js"]
CMD ["run"]
