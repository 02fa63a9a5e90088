// Command leaky is a deliberately leaky program for trying soakkit: it grows
// its resident memory at a steady rate and, optionally, leaks open file
// descriptors, until it is stopped. A soak that watches it ends with a leak
// verdict (exit status 3):
//
//	go build -o /tmp/leaky ./examples/leaky
//	go run ./cmd/soakkit soak --duration 1m --sample-interval 250ms --service '/tmp/leaky -mib-per-min 300'
//
// With -mib-per-min 0 and -fds-per-min 0 it is a stable but noisy program:
// it allocates and frees garbage, so its RSS wobbles without a trend.
package main
