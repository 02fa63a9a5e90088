package main

import (
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"os/signal"
	"syscall"
	"time"
)

func main() {
	mibPerMin := flag.Float64("mib-per-min", 20, "memory to leak per minute, in MiB")
	fdsPerMin := flag.Float64("fds-per-min", 0, "file descriptors to leak per minute")
	tick := flag.Duration("tick", 100*time.Millisecond, "how often to leak a little")
	flag.Parse()
	if *mibPerMin < 0 || *fdsPerMin < 0 || *tick <= 0 {
		fmt.Fprintln(os.Stderr, "leaky: rates must be >= 0 and -tick > 0")
		os.Exit(2)
	}

	stop := make(chan os.Signal, 1)
	signal.Notify(stop, os.Interrupt, syscall.SIGTERM)
	t := time.NewTicker(*tick)
	defer t.Stop()

	var kept [][]byte
	var files []*os.File
	perTick := tick.Minutes()
	var memDebt, fdDebt float64
	fmt.Println("leaky: started") // a readiness log line
	for {
		select {
		case <-stop:
			fmt.Printf("leaky: stopping with %d MiB and %d files held\n", len(kept), len(files))
			return
		case <-t.C:
		}
		memDebt += *mibPerMin * perTick
		for ; memDebt >= 1; memDebt-- {
			b := make([]byte, 1<<20)
			for i := 0; i < len(b); i += 4096 {
				b[i] = 1 // touch every page so it counts in RSS
			}
			kept = append(kept, b)
		}
		fdDebt += *fdsPerMin * perTick
		for ; fdDebt >= 1; fdDebt-- {
			f, err := os.Open(os.Args[0])
			if err == nil {
				files = append(files, f)
			}
		}
		// Noise: short-lived garbage of random size.
		g := make([]byte, rand.IntN(4<<20))
		for i := 0; i < len(g); i += 4096 {
			g[i] = 1
		}
	}
}
