package sql

import (
	"github.com/prkdb/prkdb-sql/sql/pgerror"
	"github.com/prkdb/prkdb-sql/sql/types"
)

// default_text_search_config: the configuration of to_tsvector(text) and
// the other functions called without one. PostgreSQL's check hook stores
// the name qualified with its schema, so SHOW prints pg_catalog.english
// whatever spelling was SET.
func checkTSConfig(_ *Session, v string) (string, error) {
	oid, err := types.ParseRegconfig(v)
	if err != nil {
		return "", pgerror.New(pgerror.InvalidParameterValue, "invalid value for parameter \"default_text_search_config\": \"%s\"", v)
	}
	return "pg_catalog." + types.TSConfigName(oid), nil
}

func applyTSConfig(s *Session, v string) {
	if oid, err := types.ParseRegconfig(v); err == nil {
		s.types.TSConfig = oid
	}
}
