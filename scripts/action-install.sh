#!/usr/bin/env bash
# The install step of action.yml: builds the CLI in the action's own folder (the commit the workflow
# pinned) and puts `entra-gitops` on PATH for the job's later steps. Dependencies come from
# package-lock.json (`npm ci`, integrity-checked); a folder that already has them is reused.
set -euo pipefail
cd "$GITHUB_ACTION_PATH"
if [ ! -d node_modules ]; then
  npm ci --no-audit --no-fund --ignore-scripts
fi
npm run build --silent
chmod +x dist/cli/index.js
bin="${RUNNER_TEMP:-${TMPDIR:-/tmp}}/entra-gitops-bin"
mkdir -p "$bin"
ln -sf "$GITHUB_ACTION_PATH/dist/cli/index.js" "$bin/entra-gitops"
echo "$bin" >> "$GITHUB_PATH"
version="$("$bin/entra-gitops" --version)"
echo "version=$version" >> "$GITHUB_OUTPUT"
echo "entra-gitops $version installed from $GITHUB_ACTION_PATH"
