#!/usr/bin/env bash
# Runs the tagpipe sink against an existing Kafka and ClickHouse. Flags: ./tagpipe sink --help
set -euo pipefail
exec "$(cd "$(dirname "$0")/../.." && pwd)/tagpipe" sink "$@"
