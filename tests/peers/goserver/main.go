// goserver: a stand-in for a Go (or Rust pprof-rs / jemalloc_pprof) service's profiling
// endpoints, profiling itself for real with runtime/pprof, for the `resq-flame api` and
// `memory --lang go` tests. Standard library only.
//
//	goserver [-no-admin-heap]
//
// Listens on 127.0.0.1 (a free port) and prints {"ready":true,"port":N,"pid":P} when ready.
// Auth: `x-api-key: $RESQ_TEST_API_KEY` on the /admin routes (401 otherwise).
//
//	GET /admin/profile?seconds=N  CPU profile (pprof, gzipped) taken while goserverHotFunction
//	                              (~75% of the burn) and goserverWarmFunction (~25%) burn CPU
//	GET /admin/heap               heap profile (pprof); most in-use bytes were allocated by
//	                              goserverRetainingAllocator, which keeps them alive
//	GET /debug/pprof/heap         the same through net/http/pprof (no auth, as usually mounted)
//	GET /debug/pprof/profile      net/http/pprof's CPU profile, with the same burn running
//	GET /health                   {"ok":true}
//
// -no-admin-heap makes /admin/heap answer 404, to test the /debug/pprof/heap fallback;
// -no-admin-profile does the same for /admin/profile and /debug/pprof/profile. The
// process exits by itself after $RESQ_GOSERVER_MAX_LIFETIME_S seconds (default 600).
package main

import (
	"crypto/sha256"
	"crypto/subtle"
	"flag"
	"fmt"
	"net"
	"net/http"
	httppprof "net/http/pprof"
	"os"
	"runtime"
	"runtime/pprof"
	"strconv"
	"sync"
	"sync/atomic"
	"time"
)

var (
	sink     uint64
	retained [][]byte
	busy     sync.Mutex
)

//go:noinline
func goserverHotFunction(d time.Duration) {
	x := atomic.LoadUint64(&sink) | 1
	for end := time.Now().Add(d); time.Now().Before(end); {
		for i := 0; i < 20000; i++ {
			x ^= x << 13
			x ^= x >> 7
			x ^= x << 17
		}
	}
	atomic.StoreUint64(&sink, x)
}

//go:noinline
func goserverWarmFunction(d time.Duration) {
	x := atomic.LoadUint64(&sink) | 3
	for end := time.Now().Add(d); time.Now().Before(end); {
		for i := 0; i < 20000; i++ {
			x = x*6364136223846793005 + 1442695040888963407
		}
	}
	atomic.StoreUint64(&sink, x)
}

func burn(stop <-chan struct{}) {
	for {
		select {
		case <-stop:
			return
		default:
		}
		goserverHotFunction(3 * time.Millisecond)
		goserverWarmFunction(1 * time.Millisecond)
	}
}

// The known retained allocation: 32 MiB in 1 KiB blocks, kept alive for the process's life.
//
//go:noinline
func goserverRetainingAllocator() {
	for i := 0; i < 32*1024; i++ {
		b := make([]byte, 1024)
		b[0] = byte(i)
		retained = append(retained, b)
	}
}

func sameSecret(given, want string) bool {
	if want == "" {
		return false
	}
	a := sha256.Sum256([]byte(given))
	b := sha256.Sum256([]byte(want))
	return subtle.ConstantTimeCompare(a[:], b[:]) == 1
}

func main() {
	noAdminHeap := flag.Bool("no-admin-heap", false, "answer 404 on /admin/heap")
	noAdminProfile := flag.Bool("no-admin-profile", false, "answer 404 on /admin/profile")
	flag.Parse()
	apiKey := os.Getenv("RESQ_TEST_API_KEY")
	if apiKey == "" {
		fmt.Fprintln(os.Stderr, "goserver: set RESQ_TEST_API_KEY (the key it accepts)")
		os.Exit(2)
	}
	runtime.MemProfileRate = 4096 // many heap samples from a small allocation
	goserverRetainingAllocator()

	auth := func(h http.HandlerFunc) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			if !sameSecret(r.Header.Get("x-api-key"), apiKey) {
				w.Header().Set("content-type", "application/json")
				w.WriteHeader(http.StatusUnauthorized)
				fmt.Fprintln(w, `{"error":"unauthorized: send x-api-key"}`)
				return
			}
			h(w, r)
		}
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/health", func(w http.ResponseWriter, r *http.Request) { fmt.Fprintln(w, `{"ok":true}`) })
	mux.HandleFunc("/admin/profile", auth(func(w http.ResponseWriter, r *http.Request) {
		if *noAdminProfile {
			http.NotFound(w, r)
			return
		}
		seconds, err := strconv.Atoi(r.URL.Query().Get("seconds"))
		if err != nil || seconds < 1 || seconds > 120 {
			http.Error(w, `{"error":"seconds must be an integer in [1, 120]"}`, http.StatusBadRequest)
			return
		}
		if !busy.TryLock() {
			http.Error(w, `{"error":"a profile is already being taken"}`, http.StatusConflict)
			return
		}
		defer busy.Unlock()
		w.Header().Set("content-type", "application/octet-stream")
		if err := pprof.StartCPUProfile(w); err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		stop := make(chan struct{})
		go burn(stop)
		time.Sleep(time.Duration(seconds) * time.Second)
		close(stop)
		pprof.StopCPUProfile()
		fmt.Fprintf(os.Stderr, "goserver: /admin/profile %d s\n", seconds)
	}))
	mux.HandleFunc("/admin/heap", auth(func(w http.ResponseWriter, r *http.Request) {
		if *noAdminHeap {
			http.NotFound(w, r)
			return
		}
		runtime.GC()
		w.Header().Set("content-type", "application/octet-stream")
		if err := pprof.Lookup("heap").WriteTo(w, 0); err != nil {
			fmt.Fprintln(os.Stderr, "goserver:", err)
		}
	}))
	mux.Handle("/debug/pprof/heap", httppprof.Handler("heap"))
	mux.HandleFunc("/debug/pprof/profile", func(w http.ResponseWriter, r *http.Request) {
		if !busy.TryLock() {
			http.Error(w, "a profile is already being taken", http.StatusConflict)
			return
		}
		defer busy.Unlock()
		stop := make(chan struct{})
		go burn(stop)
		httppprof.Profile(w, r)
		close(stop)
		fmt.Fprintf(os.Stderr, "goserver: /debug/pprof/profile %s s\n", r.URL.Query().Get("seconds"))
	})

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		fmt.Fprintln(os.Stderr, "goserver:", err)
		os.Exit(1)
	}
	fmt.Printf("{\"ready\":true,\"port\":%d,\"pid\":%d}\n", ln.Addr().(*net.TCPAddr).Port, os.Getpid())
	lifetime := 600
	if s, err := strconv.Atoi(os.Getenv("RESQ_GOSERVER_MAX_LIFETIME_S")); err == nil && s > 0 {
		lifetime = s
	}
	time.AfterFunc(time.Duration(lifetime)*time.Second, func() { os.Exit(0) })
	if err := http.Serve(ln, mux); err != nil {
		fmt.Fprintln(os.Stderr, "goserver:", err)
		os.Exit(1)
	}
}
