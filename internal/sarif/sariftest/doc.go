// Package sariftest checks SARIF logs against the official SARIF 2.1.0 JSON
// schema (OASIS, errata 01), embedded so that tests need no network. It is
// for tests of the packages that write SARIF.
package sariftest
