package tsearch

// englishStopwords is PostgreSQL 15's tsearch_data/english.stop (the Snowball
// list): words the english configuration drops, keeping their positions.
var englishStopwords = map[string]bool{
	"i": true, "me": true, "my": true, "myself": true, "we": true, "our": true, "ours": true, "ourselves": true,
	"you": true, "your": true, "yours": true, "yourself": true, "yourselves": true, "he": true, "him": true, "his": true,
	"himself": true, "she": true, "her": true, "hers": true, "herself": true, "it": true, "its": true, "itself": true,
	"they": true, "them": true, "their": true, "theirs": true, "themselves": true, "what": true, "which": true, "who": true,
	"whom": true, "this": true, "that": true, "these": true, "those": true, "am": true, "is": true, "are": true,
	"was": true, "were": true, "be": true, "been": true, "being": true, "have": true, "has": true, "had": true,
	"having": true, "do": true, "does": true, "did": true, "doing": true, "a": true, "an": true, "the": true,
	"and": true, "but": true, "if": true, "or": true, "because": true, "as": true, "until": true, "while": true,
	"of": true, "at": true, "by": true, "for": true, "with": true, "about": true, "against": true, "between": true,
	"into": true, "through": true, "during": true, "before": true, "after": true, "above": true, "below": true, "to": true,
	"from": true, "up": true, "down": true, "in": true, "out": true, "on": true, "off": true, "over": true,
	"under": true, "again": true, "further": true, "then": true, "once": true, "here": true, "there": true, "when": true,
	"where": true, "why": true, "how": true, "all": true, "any": true, "both": true, "each": true, "few": true,
	"more": true, "most": true, "other": true, "some": true, "such": true, "no": true, "nor": true, "not": true,
	"only": true, "own": true, "same": true, "so": true, "than": true, "too": true, "very": true, "s": true,
	"t": true, "can": true, "will": true, "just": true, "don": true, "should": true, "now": true,
}
