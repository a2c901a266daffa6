-- Catalog contents for the test schema, compared column by column with
-- PostgreSQL 15 (OIDs of named objects are replaced by names).

-- name: pg_class rows
SELECT c.relname, n.nspname, c.relowner, c.relam, c.relpages, c.reltuples, c.relallvisible, c.relhasindex, c.relisshared,
  c.relpersistence, c.relkind, c.relnatts, c.relchecks, c.relhasrules, c.relhastriggers, c.relhassubclass,
  c.relrowsecurity, c.relforcerowsecurity, c.relispopulated, c.relreplident, c.relispartition, c.relrewrite, c.relacl,
  c.reloptions, c.relpartbound
FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname IN ('public', 'extra') ORDER BY 2, 1

-- name: pg_attribute rows
SELECT c.relname, a.attname, a.atttypid, a.attstattarget, a.attlen, a.attnum, a.attndims, a.attcacheoff, a.atttypmod,
  a.attbyval, a.attalign, a.attstorage, a.attcompression, a.attnotnull, a.atthasdef, a.atthasmissing, a.attidentity,
  a.attgenerated, a.attisdropped, a.attislocal, a.attinhcount, a.attcollation, a.attacl, a.attoptions, a.attfdwoptions
FROM pg_catalog.pg_attribute a JOIN pg_catalog.pg_class c ON c.oid = a.attrelid
  JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname IN ('public', 'extra') AND a.attnum > 0 ORDER BY 1, a.attnum

-- name: pg_index rows
-- (indexprs and indpred through pg_get_expr, as clients read them: they
-- are node trees in PostgreSQL, SQL text here)
SELECT indexrelid, indrelid, indnatts, indnkeyatts, indisunique, indnullsnotdistinct, indisprimary, indisexclusion,
  indimmediate, indisclustered, indisvalid, indcheckxmin, indisready, indislive, indisreplident, indkey, indcollation,
  indclass, indoption, pg_catalog.pg_get_expr(indexprs, indrelid), pg_catalog.pg_get_expr(indpred, indrelid)
FROM pg_catalog.pg_index WHERE indrelid IN (SELECT c.oid FROM pg_catalog.pg_class c
  JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname IN ('public', 'extra')) ORDER BY indexrelid::regclass::text

-- name: pg_constraint rows
SELECT conname, connamespace, contype, condeferrable, condeferred, convalidated, conrelid, contypid, conindid,
  conparentid, confrelid, confupdtype, confdeltype, confmatchtype, conislocal, coninhcount, connoinherit, conkey,
  confkey, conpfeqop, conppeqop, conffeqop, confdelsetcols, conexclop, pg_catalog.pg_get_expr(conbin, conrelid)
FROM pg_catalog.pg_constraint WHERE connamespace IN (SELECT oid FROM pg_catalog.pg_namespace WHERE nspname IN ('public', 'extra'))
ORDER BY conname

-- name: pg_attrdef rows
SELECT adrelid, adnum, pg_catalog.pg_get_expr(adbin, adrelid), pg_catalog.pg_get_expr(adbin, adrelid, true)
FROM pg_catalog.pg_attrdef ORDER BY adrelid::regclass::text, adnum

-- name: pg_sequence rows
SELECT * FROM pg_catalog.pg_sequence ORDER BY seqrelid::regclass::text

-- name: pg_sequences rows
SELECT * FROM pg_catalog.pg_sequences ORDER BY sequencename

-- name: pg_depend serial ownership
SELECT classid, objid, objsubid, refclassid, refobjid, refobjsubid, deptype FROM pg_catalog.pg_depend
WHERE deptype = 'a' AND classid = 1259
  AND objid IN (SELECT oid FROM pg_catalog.pg_class WHERE relkind = 'S') ORDER BY objid::regclass::text

-- name: pg_depend user objects
SELECT DISTINCT
  CASE d.classid WHEN 'pg_catalog.pg_class'::regclass THEN 'pg_class' WHEN 'pg_catalog.pg_attrdef'::regclass THEN 'pg_attrdef'
    WHEN 'pg_catalog.pg_constraint'::regclass THEN 'pg_constraint' WHEN 'pg_catalog.pg_rewrite'::regclass THEN 'pg_rewrite' END AS classid,
  CASE d.classid
    WHEN 'pg_catalog.pg_class'::regclass THEN d.objid::regclass::text
    WHEN 'pg_catalog.pg_attrdef'::regclass THEN (SELECT ad.adrelid::regclass::text || '.' || ad.adnum FROM pg_catalog.pg_attrdef ad WHERE ad.oid = d.objid)
    WHEN 'pg_catalog.pg_constraint'::regclass THEN (SELECT co.conname::text FROM pg_catalog.pg_constraint co WHERE co.oid = d.objid)
    WHEN 'pg_catalog.pg_rewrite'::regclass THEN (SELECT r.rulename || ' on ' || r.ev_class::regclass::text FROM pg_catalog.pg_rewrite r WHERE r.oid = d.objid)
  END AS obj,
  d.objsubid,
  CASE d.refclassid WHEN 'pg_catalog.pg_class'::regclass THEN 'pg_class' WHEN 'pg_catalog.pg_namespace'::regclass THEN 'pg_namespace'
    WHEN 'pg_catalog.pg_constraint'::regclass THEN 'pg_constraint' ELSE d.refclassid::text END AS refclassid,
  CASE d.refclassid
    WHEN 'pg_catalog.pg_class'::regclass THEN d.refobjid::regclass::text
    WHEN 'pg_catalog.pg_namespace'::regclass THEN d.refobjid::regnamespace::text
    WHEN 'pg_catalog.pg_constraint'::regclass THEN (SELECT co.conname::text FROM pg_catalog.pg_constraint co WHERE co.oid = d.refobjid)
  END AS ref,
  CASE WHEN d.classid = 'pg_catalog.pg_rewrite'::regclass THEN -1 ELSE d.refobjsubid END AS refobjsubid, d.deptype
FROM pg_catalog.pg_depend d
WHERE d.classid IN ('pg_catalog.pg_class'::regclass, 'pg_catalog.pg_attrdef'::regclass, 'pg_catalog.pg_constraint'::regclass,
    'pg_catalog.pg_rewrite'::regclass)
  AND d.objid >= 16384
  AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_class c WHERE c.relnamespace = 'pg_toast'::regnamespace AND c.oid IN (d.objid, d.refobjid))

-- name: pg_init_privs schemas
SELECT objoid, classoid, objsubid, privtype, initprivs FROM pg_catalog.pg_init_privs
WHERE classoid = 'pg_catalog.pg_namespace'::regclass

-- name: pg_namespace rows
SELECT nspname, nspowner, nspacl FROM pg_catalog.pg_namespace ORDER BY 1

-- name: pg_roles postgres
SELECT * FROM pg_catalog.pg_roles WHERE rolname = 'postgres'

-- name: pg_roles predefined
SELECT rolname, oid FROM pg_catalog.pg_roles WHERE rolname ~ '^pg_' ORDER BY 1

-- name: pg_database rows
SELECT datname, datdba, encoding, datlocprovider, datistemplate, datallowconn, datconnlimit, dattablespace, datcollate,
  datctype, daticulocale, datacl FROM pg_catalog.pg_database WHERE datname IN ('postgres', 'syscat_cmp') ORDER BY 1

-- name: pg_type rows
SELECT oid, typname, typnamespace, typowner, typlen, typbyval, typtype, typcategory, typispreferred, typisdefined,
  typdelim, typrelid, typsubscript, typelem, typarray, typinput, typoutput, typreceive, typsend, typmodin, typmodout,
  typanalyze, typalign, typstorage, typnotnull, typbasetype, typtypmod, typndims, typcollation, typdefault
FROM pg_catalog.pg_type WHERE oid IN (16, 17, 18, 19, 20, 21, 22, 23, 25, 26, 30, 114, 700, 701, 1000, 1005, 1007,
  1009, 1015, 1042, 1043, 1082, 1083, 1114, 1184, 1186, 1700, 2205, 2950, 3802) ORDER BY oid

-- name: pg_am rows
SELECT oid, amname, amtype FROM pg_catalog.pg_am ORDER BY oid

-- name: pg_collation rows
SELECT oid, collname, collprovider, collcollate FROM pg_catalog.pg_collation WHERE oid IN (100, 950, 951) ORDER BY oid

-- name: pg_tablespace rows
SELECT oid, spcname, spcowner, spcacl, spcoptions FROM pg_catalog.pg_tablespace ORDER BY oid

-- name: pg_extension rows
SELECT extname, extowner, extnamespace, extrelocatable, extversion, extconfig, extcondition FROM pg_catalog.pg_extension

-- name: pg_indexes rows
SELECT * FROM pg_catalog.pg_indexes WHERE schemaname IN ('public', 'extra') ORDER BY indexname

-- name: pg_tables rows
SELECT * FROM pg_catalog.pg_tables WHERE schemaname IN ('public', 'extra') ORDER BY tablename

-- name: pg_views rows
SELECT * FROM pg_catalog.pg_views WHERE schemaname IN ('public', 'extra') ORDER BY viewname

-- name: pg_description rows
SELECT objoid, classoid, objsubid, description FROM pg_catalog.pg_description
WHERE objoid IN (SELECT c.oid FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
  WHERE n.nspname IN ('public', 'extra')) ORDER BY 1, 3

-- name: information_schema.schemata
SELECT * FROM information_schema.schemata ORDER BY schema_name

-- name: information_schema.tables
SELECT * FROM information_schema.tables WHERE table_schema IN ('public', 'extra') ORDER BY table_schema, table_name

-- name: information_schema.columns
SELECT * FROM information_schema.columns WHERE table_schema IN ('public', 'extra') ORDER BY table_schema, table_name, ordinal_position

-- name: information_schema.table_constraints
SELECT * FROM information_schema.table_constraints WHERE table_schema IN ('public', 'extra') ORDER BY constraint_name

-- name: information_schema.check_constraints
SELECT * FROM information_schema.check_constraints WHERE constraint_schema IN ('public', 'extra') ORDER BY constraint_name

-- name: information_schema.key_column_usage
SELECT * FROM information_schema.key_column_usage WHERE table_schema IN ('public', 'extra') ORDER BY constraint_name, ordinal_position

-- name: information_schema.referential_constraints
SELECT * FROM information_schema.referential_constraints WHERE constraint_schema IN ('public', 'extra') ORDER BY constraint_name

-- name: information_schema.constraint_column_usage
SELECT * FROM information_schema.constraint_column_usage WHERE table_schema IN ('public', 'extra') ORDER BY constraint_name, column_name

-- name: information_schema.constraint_table_usage
SELECT * FROM information_schema.constraint_table_usage WHERE table_schema IN ('public', 'extra') ORDER BY constraint_name

-- name: information_schema.sequences
SELECT * FROM information_schema.sequences ORDER BY sequence_name

-- name: information_schema.views
SELECT * FROM information_schema.views WHERE table_schema IN ('public', 'extra') ORDER BY table_name

-- name: information_schema.view_table_usage
SELECT * FROM information_schema.view_table_usage WHERE view_schema IN ('public', 'extra') ORDER BY view_name, table_name
