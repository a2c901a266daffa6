package sql

import "google.golang.org/protobuf/reflect/protoreflect"

// walkParseTree calls f for every node of type T in the parse tree under m
// (not descending into a match). It uses protobuf reflection, so it is for
// one-time work (caching a query shape, rewriting stored DDL), never per row.
func walkParseTree[T protoreflect.ProtoMessage](m protoreflect.Message, f func(T)) {
	if c, ok := m.Interface().(T); ok {
		f(c)
		return
	}
	m.Range(func(fd protoreflect.FieldDescriptor, v protoreflect.Value) bool {
		switch {
		case fd.IsList() && fd.Message() != nil:
			l := v.List()
			for i := 0; i < l.Len(); i++ {
				walkParseTree(l.Get(i).Message(), f)
			}
		case fd.IsMap():
		case fd.Message() != nil:
			walkParseTree(v.Message(), f)
		}
		return true
	})
}
