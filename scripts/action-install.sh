#!/usr/bin/env bash
# The install step of action.yml: builds the CLI in the action's own folder (the commit the workflow
# pinned) and puts `entra-gitops` on PATH for the job's later steps. Dependencies come from
# package-lock.json (`npm ci`, integrity-checked); a folder that already has them is reused.
set -euo pipefail
cd "$GITHUB_ACTION_PATH"
if [ ! -d node_modules ]; then
  npm ci --no-audit --no-fund --ignore-scripts
fi
# A self-hosted runner keeps the action's folder (one per commit) between jobs: a build of this
# very commit is reused; a GitHub-hosted runner starts from a fresh folder and always builds.
if [ -n "${ENTRA_GITOPS_COMMIT:-}" ] && [ -f dist/build-info.json ] && grep -q "\"commit\": \"$ENTRA_GITOPS_COMMIT\"" dist/build-info.json; then
  echo "reusing the build of $ENTRA_GITOPS_COMMIT in $GITHUB_ACTION_PATH"
else
  npm run build --silent
fi
chmod +x dist/bundle/entra-gitops.js
bin="${RUNNER_TEMP:-${TMPDIR:-/tmp}}/entra-gitops-bin"
mkdir -p "$bin"
ln -sf "$GITHUB_ACTION_PATH/dist/bundle/entra-gitops.js" "$bin/entra-gitops"
echo "$bin" >> "$GITHUB_PATH"
version="$("$bin/entra-gitops" --version)"
echo "version=$version" >> "$GITHUB_OUTPUT"
echo "entra-gitops $version installed from $GITHUB_ACTION_PATH"
