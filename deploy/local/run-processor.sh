#!/usr/bin/env bash
# Runs the tagpipe processor against an existing Kafka. Flags: ./tagpipe processor --help
set -euo pipefail
exec "$(cd "$(dirname "$0")/../.." && pwd)/tagpipe" processor "$@"
