package catalog

import "sort"

// Publication is a CREATE PUBLICATION: a set of tables (or all tables of
// its database) and the kinds of change it publishes (pg_publication,
// pg_publication_rel).
type Publication struct {
	OID       uint32   `json:"oid"`
	Name      string   `json:"name"`
	Owner     uint32   `json:"owner"`
	Database  uint32   `json:"db"`
	AllTables bool     `json:"all,omitempty"`
	Insert    bool     `json:"ins"`
	Update    bool     `json:"upd"`
	Delete    bool     `json:"del"`
	Truncate  bool     `json:"trunc"`
	ViaRoot   bool     `json:"viaroot,omitempty"`
	Tables    []uint32 `json:"tables,omitempty"` // in the order added
}

// HasTable reports whether the publication lists table oid (not
// counting FOR ALL TABLES).
func (p *Publication) HasTable(oid uint32) bool {
	for _, t := range p.Tables {
		if t == oid {
			return true
		}
	}
	return false
}

// Publication returns the publication with this OID.
func (c *Catalog) Publication(oid uint32) *Publication { return c.publications[oid] }

// PublicationByName finds a publication of database db.
func (c *Catalog) PublicationByName(db uint32, name string) *Publication {
	for _, p := range c.publications {
		if p.Database == db && p.Name == name {
			return p
		}
	}
	return nil
}

// Publications lists database db's publications by OID.
func (c *Catalog) Publications(db uint32) []*Publication {
	var out []*Publication
	for _, p := range c.publications {
		if p.Database == db {
			out = append(out, p)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].OID < out[j].OID })
	return out
}

// PutPublication adds or replaces a publication (the value must not be
// changed afterwards: copy to modify).
func (c *Catalog) PutPublication(p *Publication) {
	if c.publications == nil {
		c.publications = map[uint32]*Publication{}
	}
	c.publications[p.OID] = p
	c.touch(kindPublication, p.OID)
}

// DropPublication removes a publication.
func (c *Catalog) DropPublication(oid uint32) {
	delete(c.publications, oid)
	c.touch(kindPublication, oid)
}
