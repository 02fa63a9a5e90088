// Package promapi recognizes client_golang metric constructors and vector
// use sites in type-checked Go code, and evaluates their options (name,
// help, label names, const labels, buckets) as far as they are constant.
//
// Callees are resolved by identity (typeutil.StaticCallee and the callee's
// package path), never by spelling, so a NewCounterVec from another package
// is not mistaken for client_golang's.
package promapi
