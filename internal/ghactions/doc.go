// Package ghactions formats GitHub Actions workflow commands: annotations
// (::error file=…,line=…::message) that show findings and failures inline on
// a pull request, and the job summary file.
//
// Escaping follows the runner's rules: in the message, '%', '\r' and '\n'
// are percent-encoded; in property values ':' and ',' are too, so a path or
// title can never end a property early.
package ghactions
