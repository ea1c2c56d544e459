# syntax=docker/dockerfile:1
# One image per app (APP = ingestor, aggregator, api or archiver): built with the full toolchain, run
# with Node and production dependencies only, as the unprivileged `node` user (uid 1000).
#   docker build -f docker/app.Dockerfile --build-arg APP=aggregator --build-arg HTTP_PORT=3002 -t cryptostream-aggregator .
# `npm run images` (scripts/images.sh) builds all of them with the right arguments. The V8 flags
# (memory budget) are the app's own, `targets.serve.options.nodeFlags` of its project.json (what
# `nx serve` and the test launcher use too); `--build-arg NODE_FLAGS=…` replaces them.

FROM node:24-bookworm-slim AS build
# A build machine behind a TLS-inspecting proxy hands its CA in (scripts/images.sh does); it
# stays in the build stages, never in the image.
ARG NODE_EXTRA_CA_CERTS
WORKDIR /workspace
COPY package.json package-lock.json ./
# No lifecycle scripts: the `node` devDependency (Node 24 for npm scripts) is not needed here.
RUN npm ci --no-audit --no-fund --ignore-scripts
COPY tsconfig.base.json ./
COPY libs libs
COPY apps apps
# The apps' builds bundle their compiled main.js with esbuild (tools/build/bundle-app.mjs).
COPY tools/build tools/build
ARG APP
ARG NODE_FLAGS
# The app's own build command (the `build` target of its project.json), as `nx build` runs it;
# main.js at the top of the output is what the image starts, with the V8 flags of node-flags.
RUN test -n "$APP" || { echo "docker build: --build-arg APP=<app> is required" >&2; exit 1; } \
 && PATH="/workspace/node_modules/.bin:$PATH" sh -c "$(node -p "require('./apps/$APP/project.json').targets.build.command")" \
 && ln -s "apps/$APP/src/main.js" "dist/apps/$APP/main.js" \
 && if [ -f "dist/apps/$APP/apps/$APP/src/runtime-packages.json" ]; then cp "dist/apps/$APP/apps/$APP/src/runtime-packages.json" "dist/apps/$APP/"; else echo null > "dist/apps/$APP/runtime-packages.json"; fi \
 && if [ -n "$NODE_FLAGS" ]; then echo "$NODE_FLAGS"; else node -p "require('./apps/$APP/project.json').targets.serve?.options?.nodeFlags ?? ''"; fi > "dist/apps/$APP/node-flags"

FROM node:24-bookworm-slim AS production-deps
ARG NODE_EXTRA_CA_CERTS
WORKDIR /app
COPY package.json package-lock.json ./
# Only what runs: no dev dependencies, npm's cache, docs, type declarations or source maps.
RUN npm ci --omit=dev --no-audit --no-fund --ignore-scripts \
 && rm -rf /root/.npm \
 && find node_modules -type f \( -name '*.md' -o -name '*.d.ts' -o -name '*.d.mts' -o -name '*.d.cts' -o -name '*.map' \) -delete
# A bundled app carries its dependencies in main.bundle.js: of node_modules it keeps the packages
# the bundle still requires (runtime-packages.json, from tools/build/bundle-app.mjs) and theirs.
# The api is not bundled (its list is null) and keeps them all.
ARG APP
COPY tools/build/prune-runtime-deps.mjs /tmp/
COPY --from=build /workspace/dist/apps/${APP}/runtime-packages.json /tmp/
RUN node /tmp/prune-runtime-deps.mjs /app /tmp/runtime-packages.json

# The runtime: Debian and the node binary alone. npm, its cache and the build tools stay behind
# (npm alone is 20 MB); the binary is the build stage's, which runs on this same Debian.
FROM debian:bookworm-slim
COPY --from=build /usr/local/bin/node /usr/local/bin/node
# /lake: the data lake's mount point (the archiver's LAKE_DIR), owned by the app's user so that a
# new named volume mounted there is writable.
RUN groupadd --gid 1000 node && useradd --uid 1000 --gid node --no-create-home --shell /usr/sbin/nologin node \
 && mkdir /lake && chown 1000:1000 /lake
ARG APP
ARG HTTP_PORT=3000
ENV NODE_ENV=production HTTP_PORT=${HTTP_PORT}
WORKDIR /app
COPY --from=production-deps /app/node_modules node_modules
COPY --from=build /workspace/dist/apps/${APP} ./
# Numeric, so that Kubernetes' runAsNonRoot can verify it without a runAsUser.
USER 1000:1000
EXPOSE ${HTTP_PORT}
HEALTHCHECK --interval=10s --timeout=3s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+process.env.HTTP_PORT+'/health/live').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# The app's V8 flags on node's command line (NODE_OPTIONS refuses some of them, such as the
# archiver's --no-allocation-site-pretenuring), unless the environment sets NODE_OPTIONS: a pod's
# replaces them. `exec`: node replaces the shell, so SIGTERM reaches it directly and the app closes cleanly.
CMD ["/bin/sh", "-c", "if [ \"${NODE_OPTIONS+set}\" = set ]; then exec node main.js; fi; exec node $(cat node-flags) main.js"]
