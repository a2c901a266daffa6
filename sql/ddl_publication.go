package sql

import (
	"context"
	"strings"

	pg_query "github.com/pganalyze/pg_query_go/v6"

	"github.com/prkdb/prkdb-sql/sql/catalog"
	"github.com/prkdb/prkdb-sql/sql/pgerror"
)

// CREATE / ALTER / DROP PUBLICATION and ALTER TABLE ... REPLICA IDENTITY,
// after PostgreSQL 15's src/backend/commands/publicationcmds.c.

func (s *Session) execCreatePublication(ctx context.Context, st *pg_query.CreatePublicationStmt, w ResultWriter) error {
	cat, err := s.ddlCatalog(ctx)
	if err != nil {
		return err
	}
	if cat.PublicationByName(s.dbOID, st.Pubname) != nil {
		return pgerror.New(pgerror.DuplicateObject, "publication \"%s\" already exists", st.Pubname)
	}
	p := &catalog.Publication{OID: cat.AllocOID(), Name: st.Pubname, Database: s.dbOID, AllTables: st.ForAllTables,
		Insert: true, Update: true, Delete: true, Truncate: true}
	if r := cat.RoleByName(s.CurrentUser()); r != nil {
		p.Owner = r.OID
	}
	if err := pubOptions(p, st.Options); err != nil {
		return err
	}
	tables, err := s.pubTables(cat, st.Pubobjects)
	if err != nil {
		return err
	}
	for _, t := range tables {
		if !p.HasTable(t) {
			p.Tables = append(p.Tables, t)
		}
	}
	cat.PutPublication(p)
	return w.Complete("CREATE PUBLICATION")
}

// pubOptions applies WITH (publish = '...', publish_via_partition_root).
func pubOptions(p *catalog.Publication, opts []*pg_query.Node) error {
	seen := map[string]bool{}
	for _, o := range opts {
		de := o.GetDefElem()
		if seen[de.Defname] {
			return pgerror.New(pgerror.SyntaxError, "conflicting or redundant options")
		}
		seen[de.Defname] = true
		switch de.Defname {
		case "publish":
			p.Insert, p.Update, p.Delete, p.Truncate = false, false, false, false
			for _, a := range strings.Split(defElemText(de), ",") {
				switch strings.TrimSpace(a) {
				case "insert":
					p.Insert = true
				case "update":
					p.Update = true
				case "delete":
					p.Delete = true
				case "truncate":
					p.Truncate = true
				case "":
				default:
					return pgerror.New(pgerror.SyntaxError, "unrecognized \"publish\" value: \"%s\"", strings.TrimSpace(a))
				}
			}
		case "publish_via_partition_root":
			v := strings.ToLower(defElemText(de))
			p.ViaRoot = v == "true" || v == "on" || v == "1" || v == ""
		default:
			return pgerror.New(pgerror.SyntaxError, "unrecognized publication parameter: \"%s\"", de.Defname)
		}
	}
	return nil
}

// pubTables resolves FOR TABLE items (TABLES IN SCHEMA is refused).
func (s *Session) pubTables(cat *catalog.Catalog, objs []*pg_query.Node) ([]uint32, error) {
	var out []uint32
	for _, o := range objs {
		spec := o.GetPublicationObjSpec()
		if spec == nil {
			continue
		}
		if spec.Pubtable == nil {
			return nil, pgerror.New(pgerror.FeatureNotSupported, "publications FOR TABLES IN SCHEMA are not supported")
		}
		if spec.Pubtable.WhereClause != nil || len(spec.Pubtable.Columns) > 0 {
			return nil, pgerror.New(pgerror.FeatureNotSupported, "publication row filters and column lists are not supported")
		}
		t, err := s.resolveTable(cat, spec.Pubtable.Relation)
		if err != nil {
			return nil, err
		}
		if t.Kind != catalog.RelTable {
			return nil, pgerror.New(pgerror.WrongObjectType, "cannot add relation \"%s\" to publication", t.Name).
				WithDetail("This operation is not supported for views.")
		}
		if isTempRelation(cat, t) {
			return nil, pgerror.New(pgerror.InvalidParameterValue, "cannot add relation \"%s\" to publication", t.Name).
				WithDetail("This operation is not supported for temporary tables.")
		}
		out = append(out, t.OID)
	}
	return out, nil
}

func (s *Session) execAlterPublication(ctx context.Context, st *pg_query.AlterPublicationStmt, w ResultWriter) error {
	cat, err := s.ddlCatalog(ctx)
	if err != nil {
		return err
	}
	old := cat.PublicationByName(s.dbOID, st.Pubname)
	if old == nil {
		return pgerror.New(pgerror.UndefinedObject, "publication \"%s\" does not exist", st.Pubname)
	}
	p := *old
	p.Tables = append([]uint32(nil), old.Tables...)
	if len(st.Options) > 0 {
		if err := pubOptions(&p, st.Options); err != nil {
			return err
		}
	}
	if len(st.Pubobjects) > 0 {
		if p.AllTables {
			return pgerror.New(pgerror.ObjectNotInPrerequisiteState, "publication \"%s\" is defined as FOR ALL TABLES", p.Name).
				WithDetail("Tables cannot be added to or dropped from FOR ALL TABLES publications.")
		}
		tables, err := s.pubTables(cat, st.Pubobjects)
		if err != nil {
			return err
		}
		switch st.Action {
		case pg_query.AlterPublicationAction_AP_AddObjects:
			for _, t := range tables {
				if p.HasTable(t) {
					return pgerror.New(pgerror.DuplicateObject, "relation \"%s\" is already member of publication \"%s\"", cat.Table(t).Name, p.Name)
				}
				p.Tables = append(p.Tables, t)
			}
		case pg_query.AlterPublicationAction_AP_DropObjects:
			for _, t := range tables {
				if !p.HasTable(t) {
					return pgerror.New(pgerror.UndefinedObject, "relation \"%s\" is not part of the publication", cat.Table(t).Name)
				}
				keep := p.Tables[:0]
				for _, x := range p.Tables {
					if x != t {
						keep = append(keep, x)
					}
				}
				p.Tables = keep
			}
		case pg_query.AlterPublicationAction_AP_SetObjects:
			p.Tables = tables
		}
	}
	cat.PutPublication(&p)
	return w.Complete("ALTER PUBLICATION")
}

func (s *Session) execDropPublication(ctx context.Context, st *pg_query.DropStmt, w ResultWriter) error {
	cat, err := s.ddlCatalog(ctx)
	if err != nil {
		return err
	}
	for _, o := range st.Objects {
		name := strVal(o)
		p := cat.PublicationByName(s.dbOID, name)
		if p == nil {
			if st.MissingOk {
				w.Notice(pgerror.Notice("publication \"%s\" does not exist, skipping", name))
				continue
			}
			return pgerror.New(pgerror.UndefinedObject, "publication \"%s\" does not exist", name)
		}
		cat.DropPublication(p.OID)
	}
	return w.Complete("DROP PUBLICATION")
}

// alterReplicaIdentity is ALTER TABLE ... REPLICA IDENTITY.
func (s *Session) alterReplicaIdentity(cat *catalog.Catalog, t *catalog.Table, st *pg_query.ReplicaIdentityStmt) error {
	switch st.IdentityType {
	case "d":
		t.ReplIdent = 0
	case "f":
		t.ReplIdent = 'f'
	case "n":
		t.ReplIdent = 'n'
	default:
		return pgerror.New(pgerror.FeatureNotSupported, "REPLICA IDENTITY USING INDEX is not supported")
	}
	cat.PutTable(t)
	return nil
}
