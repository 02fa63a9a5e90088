package live

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"

	promotel "go.opentelemetry.io/contrib/bridges/prometheus"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/exporters/otlp/otlpmetric/otlpmetrichttp"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	"go.opentelemetry.io/otel/sdk/resource"
)

// DefaultPushInterval is the time between two pushes of [Metrics.Push]
// when [Push.Interval] is zero.
const DefaultPushInterval = 15 * time.Second

// ErrBadEndpoint is wrapped by the error of [ParseEndpoint] and
// [Metrics.Push] for an endpoint that is not an http(s) URL.
var ErrBadEndpoint = errors.New("not an http:// or https:// URL")

// Push configures [Metrics.Push]. The zero value of each field but
// Endpoint selects its default.
type Push struct {
	// Endpoint is the base URL of an OTLP/HTTP receiver, as in
	// OTEL_EXPORTER_OTLP_ENDPOINT: "/v1/metrics" is appended to its path.
	// Required. Headers (for authentication) come from
	// OTEL_EXPORTER_OTLP_HEADERS, as for any OpenTelemetry SDK.
	Endpoint string
	// Interval is the time between two pushes (default:
	// DefaultPushInterval).
	Interval time.Duration
}

// ParseEndpoint returns the OTLP/HTTP metrics URL of the base URL
// endpoint: an http or https URL with a host, "/v1/metrics" appended to
// its path. The error wraps [ErrBadEndpoint].
func ParseEndpoint(endpoint string) (string, error) {
	u, err := url.Parse(endpoint)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return "", fmt.Errorf("%q: %w", endpoint, ErrBadEndpoint)
	}
	u.Path = strings.TrimSuffix(u.Path, "/") + "/v1/metrics"
	return u.String(), nil
}

// Push sends m's metrics, the same series as the exposition, to an
// OTLP/HTTP receiver (protobuf, cumulative temporality) every interval
// until ctx is done; it then sends them a last time, so that the receiver
// has the soak's final counts, and returns. The resource carries
// service.name "soakkit" and the runner's name, whole, as soakkit.runner
// and service.instance.id: [Config.Runner], else the soak's own, so Push
// waits for the soak to start (or ctx to end) before its first push.
//
// A push that fails is retried by the exporter and otherwise dropped: a
// receiver that is down never stops a soak. The error is then that of the
// last push (at most 10 seconds after ctx is done), or nil.
func (m *Metrics) Push(ctx context.Context, p Push) error {
	endpoint, err := ParseEndpoint(p.Endpoint)
	if err != nil {
		return fmt.Errorf("live: push: %w", err)
	}
	interval := p.Interval
	if interval <= 0 {
		interval = DefaultPushInterval
	}
	exp, err := otlpmetrichttp.New(ctx, otlpmetrichttp.WithEndpointURL(endpoint))
	if err != nil {
		return fmt.Errorf("live: push: %w", err)
	}
	reader := sdkmetric.NewPeriodicReader(exp, sdkmetric.WithInterval(interval),
		sdkmetric.WithProducer(promotel.NewMetricProducer(promotel.WithGatherer(m.reg))))
	// The resource is fixed when the provider is made: wait until the
	// runner is known (Config.Runner, or a soak that has started); before
	// that no series is registered, so there is nothing to push.
	select {
	case <-m.known:
	case <-ctx.Done():
	}
	attrs := []attribute.KeyValue{attribute.String("service.name", "soakkit")}
	m.mu.Lock()
	runner := m.runner
	m.mu.Unlock()
	if runner != "" {
		attrs = append(attrs, attribute.String("soakkit.runner", runner), attribute.String("service.instance.id", runner))
	}
	mp := sdkmetric.NewMeterProvider(sdkmetric.WithReader(reader), sdkmetric.WithResource(resource.NewSchemaless(attrs...)))
	<-ctx.Done()
	sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	// Shutdown pushes once more, then stops the reader and the exporter.
	if err := mp.Shutdown(sctx); err != nil {
		return fmt.Errorf("live: push to %s: %w", endpoint, err)
	}
	return nil
}
