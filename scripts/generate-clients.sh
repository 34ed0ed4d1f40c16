#!/usr/bin/env bash
# Regenerates the typed JavaScript clients and TypeScript declarations from Hubs.Contracts into clients/typescript
# and the dashboard's copy (Hubs.Server/wwwroot/js/hubs). Run after changing a contract; the test suite fails
# (GeneratedClientsTests) while the checked-in files differ from what the contracts produce.
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet run --project Hubs.Server -- generate-clients "$@"
