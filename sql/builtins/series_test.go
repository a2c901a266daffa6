package builtins

import "github.com/prkdb/prkdb-sql/sql/types"

var _ = regCases(
	sr("generate_series", "1\n2\n3\n4\n5", i4("1"), i4("5")),
	sr("generate_series", "", i4("5"), i4("1")),
	sr("generate_series", "5\n3\n1", i4("5"), i4("1"), i4("-2")),
	sr("generate_series", "1\n5\n9", i4("1"), i4("10"), i4("4")),
	sr("generate_series", "ERROR 22023: step size cannot equal zero", i4("1"), i4("10"), i4("0")),
	sr("generate_series", "2147483646\n2147483647", i4("2147483646"), i4("2147483647")),
	sr("generate_series", "-2147483647\n-2147483648", i4("-2147483647"), i4("-2147483648"), i4("-1")),
	sr("generate_series", "9223372036854775806\n9223372036854775807", i8("9223372036854775806"), i8("9223372036854775807")),
	sr("generate_series", "1\n2\n3", i8("1"), i8("3")),
	sr("generate_series", "", i4("1"), null(types.Int4)),
	sr("generate_series", "1\n1.5\n2.0", nm("1"), nm("2"), nm("0.5")),
	sr("generate_series", "0.1\n0.0\n-0.1\n-0.2", nm("0.1"), nm("-0.25"), nm("-0.1")),
	sr("generate_series", "1\n2\n3", nm("1"), nm("3")),
	sr("generate_series", "ERROR 22023: start value cannot be NaN", nm("NaN"), nm("3")),
	sr("generate_series", "ERROR 22023: stop value cannot be infinity", nm("1"), nm("Infinity")),
	sr("generate_series", "ERROR 22023: step size cannot equal zero", nm("1"), nm("3"), nm("0")),
	sr("generate_series", "2020-01-31 00:00:00\n2020-02-29 00:00:00\n2020-03-29 00:00:00\n2020-04-29 00:00:00", ts("2020-01-31"), ts("2020-05-01"), iv("1 month")),
	sr("generate_series", "2020-01-01 12:00:00\n2020-01-01 11:15:00\n2020-01-01 10:30:00", ts("2020-01-01 12:00"), ts("2020-01-01 10:00"), iv("-45 minutes")),
	sr("generate_series", "ERROR 22023: step size cannot equal zero", ts("2020-01-01"), ts("2020-01-02"), iv("0")),
	sr("generate_series", "2020-03-07 12:00:00-05\n2020-03-08 12:00:00-04\n2020-03-09 12:00:00-04\n2020-03-10 12:00:00-04", tz("2020-03-07 12:00-05"), tz("2020-03-10 12:00-04"), iv("1 day")).inTZ("America/New_York"),
	sr("generate_series", "2020-03-08 00:00:00-05\n2020-03-08 01:00:00-05\n2020-03-08 03:00:00-04\n2020-03-08 04:00:00-04", tz("2020-03-08 00:00-05"), tz("2020-03-08 04:00-04"), iv("1 hour")).inTZ("America/New_York"),
	sr("unnest", "1\nNULL\n3", a(types.Int4Array, "{1,NULL,3}")),
	sr("unnest", "a\nb\nc\nd e", a(types.TextArray, `{{a,b},{c,"d e"}}`)),
	sr("unnest", "", a(types.Int4Array, "{}")),
	sr("unnest", "", null(types.Int4Array)),
)
