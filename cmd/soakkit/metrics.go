package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"sync"
	"time"

	"go.opentelemetry.io/otel"

	"github.com/soakkit/soakkit/cmd/soakkit/internal/config"
	"github.com/soakkit/soakkit/soak"
	"github.com/soakkit/soakkit/soak/live"
)

// liveSettings are where a soak's live metrics go, and where each was
// set, for errors.
type liveSettings struct {
	listen, listenFrom string // Prometheus endpoint address
	otlp, otlpFrom     string // OTLP/HTTP receiver base URL
}

// liveSettings returns the live metrics settings of the flags, else of
// the config file.
func (f *soakFlags) liveSettings(file *config.File) liveSettings {
	var s liveSettings
	if file != nil {
		if file.Metrics.Listen != "" {
			s.listen, s.listenFrom = file.Metrics.Listen, file.Path+": metrics.listen"
		}
		if file.Metrics.OTLPEndpoint != "" {
			s.otlp, s.otlpFrom = file.Metrics.OTLPEndpoint, file.Path+": metrics.otlp_endpoint"
		}
	}
	if f.fs.Changed("metrics-listen") {
		s.listen, s.listenFrom = f.metricsListen, "--metrics-listen"
	}
	if f.fs.Changed("otlp-endpoint") {
		s.otlp, s.otlpFrom = f.otlpEndpoint, "--otlp-endpoint"
	}
	return s
}

// startLive starts the live metrics of a soak run by runner ("" for no
// runner label) when s asks for them, and returns the observer to give
// the soak (nil if none) and a function that stops them. It listens and
// checks the OTLP endpoint at once, so that a bad or busy address is a
// usage error, naming it, before the soak starts. Once the soak runs,
// serving and pushing errors are logged: live metrics never fail a soak.
// stop shuts the server down and sends the last push; it waits at most a
// few seconds.
func startLive(env *cmdEnv, log *slog.Logger, s liveSettings, runner string) (ob *soak.Observer, stop func(), err error) {
	stop = func() {}
	if s.listen == "" && s.otlp == "" {
		return nil, stop, nil
	}
	if s.otlp != "" {
		if _, err := live.ParseEndpoint(s.otlp); err != nil {
			return nil, stop, fmt.Errorf("%s: %w", s.otlpFrom, err)
		}
	}
	var ln net.Listener
	if s.listen != "" {
		if ln, err = net.Listen("tcp", s.listen); err != nil {
			if oe := (*net.OpError)(nil); errors.As(err, &oe) {
				err = oe.Err // "bind: address already in use"; the message names the address
			}
			return nil, stop, fmt.Errorf("%s %s: %w", s.listenFrom, s.listen, err)
		}
		fmt.Fprintf(env.stderr, "soakkit soak: live metrics at http://%s/metrics\n", ln.Addr())
	}
	m := live.New(live.Config{Runner: runner})
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	if ln != nil {
		wg.Go(func() {
			if err := m.Serve(ctx, ln); err != nil {
				log.Warn("live metrics", "err", err)
			}
		})
	}
	if s.otlp != "" {
		// The SDK reports failed pushes through this global handler; they
		// reach the (redacted) log, never stderr directly.
		otel.SetErrorHandler(otel.ErrorHandlerFunc(func(err error) { log.Warn("live metrics: OTLP push", "err", err) }))
		wg.Go(func() {
			if err := m.Push(ctx, live.Push{Endpoint: s.otlp}); err != nil {
				log.Warn("live metrics", "err", err)
			}
		})
	}
	o := m.Observer()
	return &o, func() {
		cancel()
		done := make(chan struct{})
		go func() { wg.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(20 * time.Second): // Serve and Push bound their ends; this bounds a stuck handler
		}
	}, nil
}
