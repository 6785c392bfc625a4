// gopprof: a small Go workload that writes real runtime/pprof profiles for the pprof
// oracle test (tests/pprof/test_go_oracle.sh). Standard library only.
//
//	gopprof -cpu cpu.pb.gz -heap heap.pb.gz -block block.pb.gz -mutex mutex.pb.gz [-duration 1s]
//
// The workload has goroutines labelled with pprof.Do ("handler" = hash/fib/spin/lock; some
// CPU time is spent unlabelled), a function the compiler inlines (add), recursion (fib),
// mutex contention (contend) and channel waits (consume) for the block profile.
package main

import (
	"context"
	"crypto/sha256"
	"flag"
	"fmt"
	"os"
	"runtime"
	"runtime/pprof"
	"sync"
	"time"
)

var (
	sink   [][]byte
	mu     sync.Mutex
	shared int
)

func add(a, b int) int { return a + b } // small: inlined into its callers

//go:noinline
func fib(n int) int {
	if n < 2 {
		return n
	}
	return fib(n-1) + fib(n-2)
}

//go:noinline
func fibLoop(d time.Duration) int {
	x := 0
	for end := time.Now().Add(d); time.Now().Before(end); {
		x = add(x, fib(22))
	}
	return x
}

//go:noinline
func spin(d time.Duration) int {
	x := 0
	for end := time.Now().Add(d); time.Now().Before(end); {
		for i := 0; i < 1000; i++ {
			x = add(x, i)
		}
	}
	return x
}

//go:noinline
func hashLoop(d time.Duration) {
	buf := make([]byte, 4096)
	for end := time.Now().Add(d); time.Now().Before(end); {
		s := sha256.Sum256(buf)
		buf[0] = s[0]
	}
}

//go:noinline
func contend(d time.Duration) {
	for end := time.Now().Add(d); time.Now().Before(end); {
		mu.Lock()
		for i := 0; i < 20000; i++ {
			shared = add(shared, i)
		}
		mu.Unlock()
	}
}

//go:noinline
func consume(ch <-chan int) (sum int) {
	for v := range ch {
		sum += v
	}
	return sum
}

//go:noinline
func produce(ch chan<- int, n int) {
	for i := 0; i < n; i++ {
		time.Sleep(time.Millisecond)
		ch <- i
	}
	close(ch)
}

//go:noinline
func allocate(n int) {
	for i := 0; i < n; i++ {
		sink = append(sink, make([]byte, 512+(i*37)%4096))
	}
}

//go:noinline
func allocateSmall(n int) {
	for i := 0; i < n; i++ {
		sink = append(sink, make([]byte, 64))
	}
}

func handler(ctx context.Context, name string, d time.Duration, wg *sync.WaitGroup) {
	defer wg.Done()
	pprof.Do(ctx, pprof.Labels("handler", name), func(context.Context) {
		switch name {
		case "hash":
			hashLoop(d)
		case "fib":
			fibLoop(d)
		case "spin":
			spin(d)
		case "lock":
			contend(d)
		}
	})
}

func write(path, profile string) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := pprof.Lookup(profile).WriteTo(f, 0); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

func run() error {
	cpu := flag.String("cpu", "", "CPU profile output")
	heap := flag.String("heap", "", "heap profile output")
	block := flag.String("block", "", "block profile output")
	mutex := flag.String("mutex", "", "mutex profile output")
	d := flag.Duration("duration", time.Second, "how long each workload runs")
	flag.Parse()
	runtime.MemProfileRate = 512
	runtime.SetBlockProfileRate(1)
	runtime.SetMutexProfileFraction(1)

	if *cpu != "" {
		f, err := os.Create(*cpu)
		if err != nil {
			return err
		}
		if err := pprof.StartCPUProfile(f); err != nil {
			return err
		}
		defer func() { pprof.StopCPUProfile(); f.Close() }()
	}
	var wg sync.WaitGroup
	ctx := context.Background()
	for _, name := range []string{"hash", "fib", "spin", "lock", "lock"} {
		wg.Add(1)
		go handler(ctx, name, *d, &wg)
	}
	ch := make(chan int)
	go produce(ch, 50)
	sum := consume(ch)
	allocate(3000)
	allocateSmall(2000)
	spin(*d / 4) // unlabelled CPU time
	wg.Wait()
	if *cpu != "" {
		pprof.StopCPUProfile()
	}
	runtime.GC()
	for _, p := range []struct{ path, name string }{{*heap, "heap"}, {*block, "block"}, {*mutex, "mutex"}} {
		if p.path != "" {
			if err := write(p.path, p.name); err != nil {
				return err
			}
		}
	}
	fmt.Fprintf(os.Stderr, "gopprof: done (sum %d, shared %d, %d allocations kept)\n", sum, shared, len(sink))
	return nil
}

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "gopprof:", err)
		os.Exit(1)
	}
}
