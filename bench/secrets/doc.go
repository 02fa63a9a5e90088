// Command secretsbench generates the labelled secrets corpus, runs the
// soakkit scanner on it, and scores scanner reports (soakkit's and
// gitleaks') against the corpus manifest. compare.sh drives it.
// history-compare.sh drives history and genrepo: soakkit's history scan
// against gitleaks' git mode on a real or generated repository.
//
//	secretsbench gen  -out DIR -size BYTES [-seed N] -manifest FILE
//	secretsbench scan -root DIR -report FILE
//	secretsbench eval -manifest FILE -root DIR [-soakkit FILE] [-gitleaks FILE]
//	secretsbench history -repo DIR -report FILE [-all=false] [-workers N]
//	secretsbench genrepo -out DIR [-commits N] [-seed N]
package main
