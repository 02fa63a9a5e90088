// Package junit writes JUnit XML reports, the test-report format every CI
// system renders, and reads the reports test runners write ([Read]) as a
// stream, with a size limit and without entity expansion. Steps of soak iterations, go test tests, secret findings
// and lint findings are all reported as test cases.
//
// The schema is the de-facto one (Jenkins / Ant): testsuites › testsuite ›
// testcase, with failure, error and skipped children and system-out /
// system-err. Characters that XML 1.0 cannot carry are replaced with U+FFFD
// by encoding/xml, so a report is always well formed whatever a test printed.
package junit
