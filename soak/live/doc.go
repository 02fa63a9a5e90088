// Package live serves a running soak's metrics in the Prometheus format,
// so that a long run can be watched in Prometheus and Grafana while it
// goes on rather than read from its artifacts afterwards.
//
// A [Metrics] is fed by the soak engine through [Metrics.Observer] (a
// soak.Observer given with soak.WithObserver) and exposed by
// [Metrics.Handler] or [Metrics.Serve], or pushed by [Metrics.Push]:
//
//	m := live.New(live.Config{Runner: "linux-1"})
//	ln, err := net.Listen("tcp", "127.0.0.1:9464")
//	...
//	go m.Serve(ctx, ln)
//	s, err := soak.New(cfg, it, soak.WithObserver(m.Observer()))
//
// # Metrics
//
// Every name starts with soakkit_, and every series carries a runner
// label: [Config.Runner], else the name the soak records for its runner
// (soak.Config.Runner, detected from CI or Kubernetes if not given), cut
// to 64 bytes with a hash of the whole if longer ([LabelValue]). An OTLP
// push's resource names the runner whole, as soakkit.runner and
// service.instance.id.
//
//	soakkit_iterations_total{result}                      iterations recorded, by status (passed, failed, timed_out, cut, cancelled, interrupted)
//	soakkit_steps_total{step,status}                      step runs by status; nested steps are "parent/child"; "cut" for a step the soak's end stopped
//	soakkit_step_duration_seconds{step}                   histogram of the durations of step runs that were neither skipped nor cut
//	soakkit_resident_memory_bytes{target}                 latest RSS of each sampled target (process trees summed)
//	soakkit_open_fds{target}                              latest open file descriptors (handles on Windows)
//	soakkit_threads{target}                               latest OS threads
//	soakkit_processes{target}                             latest processes in the target's tree
//	soakkit_resource_slope_bytes_per_second{target,resource}  fitted trend of a size (rss, go_heap_live) of a long-lived target
//	soakkit_resource_slope_per_second{target,resource}    fitted trend of a count (fds, threads, procs, zombies, goroutines)
//	soakkit_artifact_bytes                                size of the artifacts tree
//	soakkit_artifact_limit_bytes                          the byte cap, when there is one
//	soakkit_service_up{service}                           1 while the service runs, 0 once it has ended
//
// Targets are those of samples.jsonl: "self" (soakkit's own process), the
// service's name, added samplers' labels, and "step:NAME" while a step
// runs (its series disappear when its iteration ends).
//
// The slopes are the online monitors' current fits, per hour converted to
// per second, present once a target has enough samples after its warm-up.
// They are early indications for a dashboard or an alert, not verdicts:
// the leak verdicts are the summary's, under the configured policies, over
// every sample of the run.
//
// # OpenTelemetry
//
// [Metrics.Push] sends the same series through OpenTelemetry's Go SDK to
// an OTLP/HTTP receiver (a Collector, or a backend that takes OTLP), every
// [Push.Interval] and once more when its context ends.
//
// # What it does not do
//
// It keeps no history (Prometheus does) and reads no artifacts: a scrape
// shows the process that serves it, so counters start at zero in a
// resumed soak, as any counter does after a restart. It does not judge.
package live
