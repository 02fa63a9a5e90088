// Command secretsbench generates the labelled secrets corpus, runs the
// soakkit scanner on it, and scores scanner reports (soakkit's and
// gitleaks') against the corpus manifest. compare.sh drives it.
// history-compare.sh drives history and genrepo: soakkit's history scan
// against gitleaks' git mode on a real or generated repository.
//
// glsamples and glscore measure both scanners on gitleaks' own labelled
// samples: the true- and false-positive strings of its rule tests.
// glsamples copies the gitleaks v8.30.1 module source (fetched through the
// Go module proxy) to a temporary directory, replaces the rule tests'
// Validate function with one that writes each sample out, and runs
// gitleaks' config generator, which calls every rule's tests. The samples
// are made at bench time and never stored in this repository. glscore
// writes each sample to a file of its own and scores gitleaks, soakkit's
// built-in rules and soakkit with gitleaks' default config loaded through
// [secrets.LoadConfig].
//
//	secretsbench gen  -out DIR -size BYTES [-seed N] -manifest FILE
//	secretsbench scan -root DIR -report FILE [-config FILE]
//	secretsbench eval -manifest FILE -root DIR [-soakkit FILE] [-gitleaks FILE]
//	secretsbench history -repo DIR -report FILE [-all=false] [-workers N]
//	secretsbench genrepo -out DIR [-commits N] [-seed N]
//	secretsbench glsamples -out FILE [-config FILE]
//	secretsbench glscore -samples FILE [-config FILE] [-gitleaks BIN] [-work DIR] [-show N]
package main
