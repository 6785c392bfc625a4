#!/usr/bin/env bash
# Rewrites tests/golden/*.svg from the current writer. Run it only when an output change is
# intended, and review the diff (git diff tests/golden) before committing.
set -eu
cd "$(dirname "$0")/../.."
BUILD=${RF_BUILD:-build}
make -s "$BUILD/tests/test_svg"
RF_ROOT=$PWD RF_UPDATE_GOLDEN=1 "$BUILD/tests/test_svg"
git status --short tests/golden || true
