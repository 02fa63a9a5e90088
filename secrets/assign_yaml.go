package secrets

// yamlBlockContent reads the rest of a YAML block scalar's header line,
// from b[i] just after its '|' or '>': the indentation and chomping
// indicators (|2-, >+, |-4), spaces, and a comment ("| # rotated"); then
// the blank lines that may precede the block's first line of content. It
// returns where that line starts and where its content starts; ok is false
// when the header line holds anything else, or no content line follows
// within a few blank lines.
func yamlBlockContent(b []byte, i int) (line, content int, ok bool) {
	k := run(b, i, clsYAMLIndicator, 2)
	sp := run(b, k, clsSpace, 16)
	if at(b, sp) == '#' && sp > k { // a comment needs a space before it
		for sp < len(b) && sp-k <= 256 && b[sp] != '\n' && b[sp] != '\r' {
			sp++
		}
	}
	k = sp
	for blank := 0; blank <= 4; blank++ {
		if at(b, k) == '\r' {
			k++
		}
		if at(b, k) != '\n' {
			return 0, 0, false
		}
		line = k + 1
		content = run(b, line, clsSpace, 256)
		if c := at(b, content); c != '\n' && c != '\r' && content < len(b) {
			return line, content, true
		}
		k = content
	}
	return 0, 0, false
}

var clsYAMLIndicator = mkclass("-+0-9")
