// Package tsearch is full-text search as PostgreSQL 15 does it: the default
// parser, the simple and english configurations, tsquery construction
// (to_tsquery, plainto_tsquery, phraseto_tsquery, websearch_to_tsquery),
// matching (@@) and ranking (ts_rank). The tsvector and tsquery values
// themselves, their text and binary forms, live in sql/types; the SQL
// functions that call this package are in sql/builtins/tsearch.go; GIN
// indexes over lexemes are in executor/gin.go and planner/gin.go.
//
// # Pipeline
//
//	text --Parse--> tokens --lexize(config)--> lexemes with positions --> TSVector
//
// Every token a configuration maps to a dictionary takes the next position,
// stop words included (so phrase distances count them); blanks, tags,
// entities and protocols take none. english sends words and word parts to
// english_stem (lower case, english.stop, Snowball English stemmer) and the
// other token types to simple (lower case); simple sends everything to
// simple. Lower-casing follows the C locale (ASCII only), as the test
// oracle's database has it.
//
// # How closely it follows PostgreSQL
//
// The stemmer is written from the Snowball English (Porter2) description,
// not from PostgreSQL's generated C; stem_english_test.go compares it with
// ts_lexize('english_stem', w) for 7,654 words (testdata/stem_english.txt:
// the words of the machine's man pages plus the examples of the
// description, stems from PostgreSQL 15). The parser is a hand-written
// scanner, not wparser_def.c's state machine; parser_test.go and
// tsvector_test.go compare it with ts_debug and to_tsvector over the
// token-type examples and 1,899 lines of man-page prose (no line differs),
// and over 400 strings glued at random from punctuation-heavy fragments
// (18 differ, listed in parser_test.go). Token types matched: asciiword,
// word, numword, asciihword, hword, numhword and their parts, email, url,
// host, url_path, file, int, uint, float, sfloat, version, tag (including
// <style>/<script> bodies) and entity. Known gaps, all corners of
// wparser_def.c's state machine: a '~' starting a path, paths glued right
// after a number or a non-ASCII letter, ".." glued to a word, signed
// versions, a sign before an e-mail address. query_test.go compares the
// four tsquery constructors over 52 inputs.
//
// ts_rank and ts_rank_cd are compared bit for bit (float4) with
// PostgreSQL over 140 document/query pairs each (rank_test.go).
//
// ts_debug and ts_parse show the parser's blanks too (ParseAll); their
// blank tokens are cut where PostgreSQL's parser tried and abandoned a
// token ('-', '+', '&', '<', '/'), which matches it on the test corpus.
//
// Not done: NOTICEs PostgreSQL raises for queries reduced to nothing by
// stop words and for words too long to index; configurations other than
// simple and english (and CREATE TEXT SEARCH ...); ts_headline,
// ts_rewrite, to_tsvector(json/jsonb), tsvector_to_array and friends.
package tsearch
