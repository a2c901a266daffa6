package tsearch

// The Snowball English ("Porter2") stemmer, written from the published
// algorithm description (https://snowballstem.org/algorithms/english/stemmer.html),
// which is what PostgreSQL's english_stem dictionary runs. The word is
// handled as runes: letters outside a-z are non-vowels, as in Snowball's
// UTF-8 build.

// StemEnglish returns the stem of a lower-case word.
func StemEnglish(word string) string {
	if len(word) <= 2 {
		return word
	}
	if s, ok := stemExceptions1[word]; ok {
		return s
	}
	w := []rune(word)
	if len(w) <= 2 {
		return word
	}
	st := stemmer{}
	w = st.prelude(w)
	st.markRegions(w)
	w = st.step1a(w)
	if _, ok := stemExceptions2[string(w)]; ok {
		return st.postlude(w)
	}
	w = st.step1b(w)
	w = st.step1c(w)
	w = st.step2(w)
	w = st.step3(w)
	w = st.step4(w)
	w = st.step5(w)
	return st.postlude(w)
}

// stemExceptions1 are whole words with irregular stems (or none).
var stemExceptions1 = map[string]string{
	"skis": "ski", "skies": "sky", "dying": "die", "lying": "lie", "tying": "tie",
	"idly": "idl", "gently": "gentl", "ugly": "ugli", "early": "earli", "only": "onli",
	"singly": "singl", "sky": "sky", "news": "news", "howe": "howe",
	"atlas": "atlas", "cosmos": "cosmos", "bias": "bias", "andes": "andes",
}

// stemExceptions2 are left alone after step 1a.
var stemExceptions2 = map[string]struct{}{
	"inning": {}, "outing": {}, "canning": {}, "herring": {}, "earring": {},
	"proceed": {}, "exceed": {}, "succeed": {},
}

type stemmer struct {
	p1, p2 int  // starts of R1 and R2 (rune offsets)
	yFound bool // some y was turned into Y (a consonant)
}

func isVowel(r rune) bool {
	switch r {
	case 'a', 'e', 'i', 'o', 'u', 'y':
		return true
	}
	return false
}

// prelude drops an initial apostrophe and marks consonant y's as Y.
func (st *stemmer) prelude(w []rune) []rune {
	if w[0] == '\'' {
		w = w[1:]
	}
	if len(w) > 0 && w[0] == 'y' {
		w[0] = 'Y'
		st.yFound = true
	}
	for i := 1; i < len(w); i++ {
		if w[i] == 'y' && isVowel(w[i-1]) {
			w[i] = 'Y'
			st.yFound = true
		}
	}
	return w
}

func (st *stemmer) postlude(w []rune) string {
	if st.yFound {
		for i, r := range w {
			if r == 'Y' {
				w[i] = 'y'
			}
		}
	}
	return string(w)
}

// afterVowelConsonant is the index after the first non-vowel that follows a
// vowel at or after from (len(w) if none).
func afterVowelConsonant(w []rune, from int) int {
	for i := from + 1; i < len(w); i++ {
		if !isVowel(w[i]) && isVowel(w[i-1]) {
			return i + 1
		}
	}
	return len(w)
}

// regionPrefixes end R1 early in words the general rule would cut too
// short (generate, communism, arsenal).
var regionPrefixes = []string{"gener", "commun", "arsen"}

func (st *stemmer) markRegions(w []rune) {
	st.p1 = len(w)
	for _, pre := range regionPrefixes {
		if hasPrefixRunes(w, pre) {
			st.p1 = len(pre)
			break
		}
	}
	if st.p1 == len(w) {
		st.p1 = afterVowelConsonant(w, 0)
	}
	st.p2 = afterVowelConsonant(w, st.p1)
	if st.p1 >= len(w) {
		st.p2 = len(w)
	}
}

func hasPrefixRunes(w []rune, p string) bool {
	i := 0
	for _, r := range p {
		if i >= len(w) || w[i] != r {
			return false
		}
		i++
	}
	return true
}

// hasSuffix compares without converting s: every suffix of the algorithm
// is ASCII, one byte per rune.
func hasSuffix(w []rune, s string) bool {
	if len(s) > len(w) {
		return false
	}
	off := len(w) - len(s)
	for i := 0; i < len(s); i++ {
		if w[off+i] != rune(s[i]) {
			return false
		}
	}
	return true
}

// longestSuffix returns the longest of suffixes that w ends with, or "".
func longestSuffix(w []rune, suffixes []string) string {
	best := ""
	for _, s := range suffixes {
		if len(s) > len(best) && hasSuffix(w, s) {
			best = s
		}
	}
	return best
}

func replaceSuffix(w []rune, n int, with string) []rune {
	w = w[:len(w)-n]
	for i := 0; i < len(with); i++ {
		w = append(w, rune(with[i]))
	}
	return w
}

func containsVowel(w []rune) bool {
	for _, r := range w {
		if isVowel(r) {
			return true
		}
	}
	return false
}

// shortSyllableAt reports whether w[:end] ends with a short syllable: a
// vowel followed by a non-vowel other than w, x or Y and preceded by a
// non-vowel, or a vowel at the start followed by a non-vowel.
func shortSyllableAt(w []rune, end int) bool {
	if end >= 3 {
		c, v, b := w[end-1], w[end-2], w[end-3]
		if !isVowel(c) && c != 'w' && c != 'x' && c != 'Y' && isVowel(v) && !isVowel(b) {
			return true
		}
	}
	return end == 2 && isVowel(w[0]) && !isVowel(w[1])
}

var (
	step0Suffixes  = []string{"'", "'s", "'s'"}
	step1aSuffixes = []string{"sses", "ied", "ies", "s", "us", "ss"}
	step1bSuffixes = []string{"eed", "eedly", "ed", "edly", "ing", "ingly"}
)

func (st *stemmer) step1a(w []rune) []rune {
	// Step 0: the possessive suffixes.
	if suf := longestSuffix(w, step0Suffixes); suf != "" {
		w = w[:len(w)-len(suf)]
	}
	switch suf := longestSuffix(w, step1aSuffixes); suf {
	case "sses":
		w = replaceSuffix(w, 4, "ss")
	case "ied", "ies":
		if len(w)-3 > 1 {
			w = replaceSuffix(w, 3, "i")
		} else {
			w = replaceSuffix(w, 3, "ie")
		}
	case "s":
		// Delete if the part before the letter preceding the s has a vowel.
		if len(w) >= 2 && containsVowel(w[:len(w)-2]) {
			w = w[:len(w)-1]
		}
	}
	return w
}

func (st *stemmer) step1b(w []rune) []rune {
	suf := longestSuffix(w, step1bSuffixes)
	n := len(suf)
	switch suf {
	case "":
		return w
	case "eed", "eedly":
		if len(w)-n >= st.p1 {
			w = replaceSuffix(w, n, "ee")
		}
		return w
	}
	if !containsVowel(w[:len(w)-n]) {
		return w
	}
	w = w[:len(w)-n]
	switch {
	case hasSuffix(w, "at") || hasSuffix(w, "bl") || hasSuffix(w, "iz"):
		return append(w, 'e')
	case len(w) >= 2 && w[len(w)-1] == w[len(w)-2] && isDoubleable(w[len(w)-1]):
		return w[:len(w)-1]
	case len(w) == st.p1 && shortSyllableAt(w, len(w)):
		return append(w, 'e')
	}
	return w
}

func isDoubleable(r rune) bool {
	switch r {
	case 'b', 'd', 'f', 'g', 'm', 'n', 'p', 'r', 't':
		return true
	}
	return false
}

func (st *stemmer) step1c(w []rune) []rune {
	n := len(w)
	if n > 2 && (w[n-1] == 'y' || w[n-1] == 'Y') && !isVowel(w[n-2]) {
		w[n-1] = 'i'
	}
	return w
}

var step2Rules = map[string]string{
	"tional": "tion", "enci": "ence", "anci": "ance", "abli": "able", "entli": "ent",
	"izer": "ize", "ization": "ize", "ational": "ate", "ation": "ate", "ator": "ate",
	"alism": "al", "aliti": "al", "alli": "al", "fulness": "ful", "ousli": "ous",
	"ousness": "ous", "iveness": "ive", "iviti": "ive", "biliti": "ble", "bli": "ble",
	"ogi": "og", "fulli": "ful", "lessli": "less", "li": "",
}

var step2Suffixes = keys(step2Rules)

func keys(m map[string]string) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	return out
}

func isValidLi(r rune) bool {
	switch r {
	case 'c', 'd', 'e', 'g', 'h', 'k', 'm', 'n', 'r', 't':
		return true
	}
	return false
}

func (st *stemmer) step2(w []rune) []rune {
	suf := longestSuffix(w, step2Suffixes)
	n := len(suf)
	if suf == "" || len(w)-n < st.p1 {
		return w
	}
	switch suf {
	case "ogi":
		if len(w) > n && w[len(w)-n-1] == 'l' {
			return replaceSuffix(w, n, "og")
		}
		return w
	case "li":
		if len(w) > n && isValidLi(w[len(w)-n-1]) {
			return w[:len(w)-n]
		}
		return w
	}
	return replaceSuffix(w, n, step2Rules[suf])
}

var step3Rules = map[string]string{
	"tional": "tion", "ational": "ate", "alize": "al", "icate": "ic", "iciti": "ic",
	"ical": "ic", "ful": "", "ness": "", "ative": "",
}

var step3Suffixes = keys(step3Rules)

func (st *stemmer) step3(w []rune) []rune {
	suf := longestSuffix(w, step3Suffixes)
	n := len(suf)
	if suf == "" || len(w)-n < st.p1 {
		return w
	}
	if suf == "ative" && len(w)-n < st.p2 {
		return w
	}
	return replaceSuffix(w, n, step3Rules[suf])
}

var step4Suffixes = []string{"al", "ance", "ence", "er", "ic", "able", "ible", "ant", "ement",
	"ment", "ent", "ism", "ate", "iti", "ous", "ive", "ize", "ion"}

func (st *stemmer) step4(w []rune) []rune {
	suf := longestSuffix(w, step4Suffixes)
	n := len(suf)
	if suf == "" || len(w)-n < st.p2 {
		return w
	}
	if suf == "ion" {
		if len(w) > n && (w[len(w)-n-1] == 's' || w[len(w)-n-1] == 't') {
			return w[:len(w)-n]
		}
		return w
	}
	return w[:len(w)-n]
}

func (st *stemmer) step5(w []rune) []rune {
	n := len(w)
	switch {
	case n > 0 && w[n-1] == 'e':
		if n-1 >= st.p2 || (n-1 >= st.p1 && !shortSyllableAt(w, n-1)) {
			return w[:n-1]
		}
	case n > 0 && w[n-1] == 'l':
		if n-1 >= st.p2 && n >= 2 && w[n-2] == 'l' {
			return w[:n-1]
		}
	}
	return w
}
