package selector

// parseInt64 parses s the way strconv.ParseInt(s, 10, 64) does (an optional '+' or '-', then one or
// more decimal digits, within int64) but without allocating an error on failure, so that matching
// a Gt or Lt requirement against a label that is not a number stays allocation-free.
func parseInt64(s string) (int64, bool) {
	if s == "" {
		return 0, false
	}
	neg := false
	switch s[0] {
	case '+':
		s = s[1:]
	case '-':
		neg = true
		s = s[1:]
	}
	if s == "" {
		return 0, false
	}
	// Accumulate as a negative number: its range is one larger, so math.MinInt64 fits.
	const minInt64 = -1 << 63
	var n int64
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		d := int64(c - '0')
		if n < minInt64/10 || n*10 < minInt64+d {
			return 0, false
		}
		n = n*10 - d
	}
	if neg {
		return n, true
	}
	if n == minInt64 {
		return 0, false
	}
	return -n, true
}
