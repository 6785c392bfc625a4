# shellcheck shell=bash
# tests/collect/gopeer.sh: builds tests/peers/goserver (standard library only, no network)
# into $W and sets GOSERVER. Sourced by test_api.sh and test_memory.sh after common.sh.
rf_require go
export GOPROXY=off GOFLAGS=-mod=mod GOTOOLCHAIN=local GO111MODULE=on GOTELEMETRY=off
export GOCACHE=${GOCACHE:-$RF_ROOT/build/go-cache} GOPATH=${GOPATH:-$RF_ROOT/build/go-path}
GOSERVER=$W/goserver
if ! (cd tests/peers/goserver && go build -o "$GOSERVER" .) >"$W/go-build.log" 2>&1; then
    rf_fail "build tests/peers/goserver" "$(head -c 400 "$W/go-build.log")"
    rf_summary
fi
