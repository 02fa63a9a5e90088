// Command secretsbench generates the labelled secrets corpus, runs the
// soakkit scanner on it, and scores scanner reports (soakkit's and
// gitleaks') against the corpus manifest. compare.sh drives it.
//
//	secretsbench gen  -out DIR -size BYTES [-seed N] -manifest FILE
//	secretsbench scan -root DIR -report FILE
//	secretsbench eval -manifest FILE -root DIR [-soakkit FILE] [-gitleaks FILE]
package main
