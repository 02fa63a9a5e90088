package soak

// Linking package secrets installs its rules-only redactor at the
// redaction boundary that every artifact writer consults (records, state,
// summary, report, manifest-covered files), so a program embedding soak
// gets the same redaction as the soakkit command.
import _ "github.com/soakkit/soakkit/secrets"
