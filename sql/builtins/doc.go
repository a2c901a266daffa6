// Package builtins owns the functions and operators SQL can call: their
// signatures (for overload resolution in the binder) and implementations
// (called by compiled expressions). Implementations work on non-NULL
// arguments unless an overload says otherwise.
//
// Must never: resolve names, touch the catalog or kv. Functions that need
// session state reach it through bound.EvalCtx.Env.
package builtins
