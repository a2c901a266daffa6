package bound

// AggGrouping is GROUPING(a, b, ...): not an aggregate of the input but a
// value of the grouping set a result row belongs to. It is carried in
// Select.Aggs so that it has a column of the aggregated row like any
// aggregate; its Args are the bound arguments and Agg.GroupRefs their
// positions in Select.GroupBy. The executor never steps it.
//
// Its value is a bit mask, the first argument the most significant bit, a
// bit set when that expression is not grouped in the row's set
// (PostgreSQL's ExecEvalGroupingFunc, execExprInterp.c).
const AggGrouping AggKind = 255
