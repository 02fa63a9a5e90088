package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"time"

	"github.com/soakkit/soakkit/soak"
	"github.com/soakkit/soakkit/soak/live"
)

// serveLive returns the observer of a soak's live metrics. It listens on addr at once, so that a bad or busy address is a
// usage error before the soak starts, and serves the exposition at
// /metrics until stop is called; stop shuts the server down and waits for
// it (at most a few seconds). A serving error once the soak runs is
// logged: live metrics never fail a soak.
func serveLive(env *cmdEnv, log *slog.Logger, addr string) (ob soak.Observer, stop func(), err error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		if oe := (*net.OpError)(nil); errors.As(err, &oe) {
			err = oe.Err // "bind: address already in use"; the caller names addr
		}
		return ob, nil, fmt.Errorf("%s: %w", addr, err)
	}
	m := live.New(live.Config{})
	fmt.Fprintf(env.stderr, "soakkit soak: live metrics at http://%s/metrics\n", ln.Addr())
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		if err := m.Serve(ctx, ln); err != nil {
			log.Warn("live metrics", "err", err)
		}
	}()
	return m.Observer(), func() {
		cancel()
		select {
		case <-done:
		case <-time.After(10 * time.Second): // Serve bounds its shutdown; this bounds a stuck handler
		}
	}, nil
}
