-- psql_script.sql: one psql session run against prkdb-sql and PostgreSQL 15;
-- the outputs (stdout and stderr, with psql's "psql:psql_script.sql:LINE:"
-- error prefixes) must be byte-identical (TestPsqlMatchesPostgres).
-- Statements where prkdb-sql still differs live in knownDifferences in
-- psql_test.go, not here. Editing a line above an error shifts the line
-- numbers in both outputs alike.
CREATE TABLE items (
    id serial PRIMARY KEY,
    name text NOT NULL,
    qty integer NOT NULL DEFAULT 0,
    price numeric(10,2)
);
CREATE INDEX items_name_idx ON items (name);

INSERT INTO items (name, qty, price) VALUES
    ('apple', 10, 0.50),
    ('banana', 25, 0.25),
    ('cherry', 200, 0.05),
    ('date', 0, NULL)
RETURNING id, name, qty, price;

INSERT INTO items (name) VALUES ('elderberry') RETURNING *;

SELECT id, name, qty FROM items WHERE qty > 5 ORDER BY qty DESC;
SELECT name FROM items WHERE name = 'banana';
SELECT count(*) AS n, sum(qty) AS total, min(price), max(price), avg(qty) FROM items;
SELECT qty > 0 AS in_stock, count(*) FROM items GROUP BY qty > 0 ORDER BY in_stock;
SELECT name, price * qty AS value FROM items WHERE price IS NOT NULL ORDER BY value DESC, name LIMIT 2;

UPDATE items SET qty = qty + 1 WHERE name IN ('apple', 'date');
UPDATE items SET price = 1.00 WHERE id = 42;
UPDATE items SET price = price * 2 WHERE price < 0.30 RETURNING name, price;
DELETE FROM items WHERE qty = 0;
DELETE FROM items WHERE name = 'date' RETURNING id;
SELECT * FROM items ORDER BY id;

-- A transaction with a savepoint rolled back.
BEGIN;
INSERT INTO items (name, qty) VALUES ('fig', 3);
SAVEPOINT sp1;
INSERT INTO items (name, qty) VALUES ('grape', 4);
SELECT name FROM items ORDER BY id;
ROLLBACK TO SAVEPOINT sp1;
INSERT INTO items (name, qty) VALUES ('honeydew', 5);
RELEASE SAVEPOINT sp1;
COMMIT;
SELECT name, qty FROM items ORDER BY id;

-- An error inside a transaction, then ROLLBACK.
BEGIN;
UPDATE items SET qty = 1000 WHERE name = 'apple';
INSERT INTO items (id, name) VALUES (1, 'duplicate');
SELECT 1;
ROLLBACK;
SELECT name, qty FROM items WHERE name = 'apple';

-- Errors outside a transaction.
INSERT INTO items (name) VALUES (NULL);
SELECT nope_nothing_like_it FROM items;
SELECT * FROM no_such_table;
SELEC 1;
SELECT 1/0;

-- Notices and warnings that psql prints with the script line.
DROP TABLE IF EXISTS no_such_table;
COMMIT;
BEGIN;
BEGIN;
INSERT INTO items (name, qty) VALUES ('kiwi', -1);
SELECT 'abc'::integer;
COMMIT;
SELECT count(*) FROM items WHERE name = 'kiwi';

-- Constraint and input errors with DETAIL and caret.
CREATE TABLE orders (
    id bigserial PRIMARY KEY,
    item_id integer NOT NULL REFERENCES items (id),
    amount numeric NOT NULL CHECK (amount > 0),
    note varchar(5)
);
INSERT INTO orders (item_id, amount) VALUES (1, 2.5), (2, 10), (1, 1);
INSERT INTO orders (item_id, amount) VALUES (1, -1);
INSERT INTO orders (item_id, amount) VALUES (999, 1);
INSERT INTO orders (item_id, amount, note) VALUES (1, 1, 'fits');
INSERT INTO orders (item_id, amount) VALUES (1, 'lots');
SELECT i.name, count(o.id) AS orders, coalesce(sum(o.amount), 0) AS total
FROM items i LEFT JOIN orders o ON o.item_id = i.id
GROUP BY i.name
HAVING count(o.id) >= 0
ORDER BY total DESC, i.name;
SELECT item_id, amount FROM (SELECT item_id, amount FROM orders WHERE amount > 2) AS big ORDER BY amount;
SELECT name FROM items WHERE id IN (SELECT item_id FROM orders) ORDER BY name;
SELECT name, (SELECT count(*) FROM orders o WHERE o.item_id = i.id) AS n FROM items i ORDER BY id;
SELECT name, upper(name) AS up, length(name) AS len, name || '!' AS excl
FROM items WHERE name LIKE '%an%' OR name ILIKE 'C%' ORDER BY name;
SELECT id, CASE WHEN qty > 100 THEN 'many' WHEN qty > 10 THEN 'some' ELSE 'few' END AS howmany
FROM items ORDER BY id DESC;
DELETE FROM items WHERE id = 1;
DROP TABLE orders;

-- Types and NULL display.
SELECT NULL::int AS n, 'x'::text AS t, true AS b, 1.5::float8 AS f, '2024-01-02'::date AS d;
SELECT '2024-01-02 03:04:05.678+02'::timestamptz AS ts, interval '1 day 2 hours' AS iv,
       '{"a": [1, 2, {"b": null}]}'::jsonb AS j, 'multi
line'::text AS ml, E'tab\there' AS tab, 12345678901234::bigint AS big, -0.5::numeric(5,3) AS num;
SELECT x, x * x AS sq FROM (VALUES (1), (2), (3)) AS g(x) ORDER BY x DESC;
SELECT x, x * x AS sq FROM generate_series(1, 3) AS g(x);
SELECT '' AS empty, ' padded ' AS padded, 'ünïcødé' AS u;
SELECT id, name FROM items WHERE price IS NULL ORDER BY id;
CREATE VIEW cheap AS SELECT id, name FROM items WHERE qty < 10;
SELECT * FROM cheap ORDER BY id;
DROP TABLE items;
DROP TABLE items CASCADE;
SELECT * FROM cheap;
SELECT * FROM items;

-- Schemas and databases: dropped ones are gone.
CREATE SCHEMA s1;
CREATE TABLE s1.t (a integer PRIMARY KEY);
INSERT INTO s1.t VALUES (1);
DROP SCHEMA s1;
DROP TABLE s1.t;
DROP SCHEMA s1;
CREATE SCHEMA s1;
DROP SCHEMA s1;
DROP SCHEMA s1;
DROP SCHEMA IF EXISTS s1;
CREATE DATABASE e2e_psql_other;
DROP DATABASE e2e_psql_other;
DROP DATABASE e2e_psql_other;
CREATE DATABASE e2e_psql_other;
DROP DATABASE IF EXISTS e2e_psql_other;
DROP DATABASE IF EXISTS e2e_psql_other;

-- Full-text search: a GIN index as \d shows it, and a ranked search.
CREATE TABLE notes (id integer PRIMARY KEY, body text, tsv tsvector);
CREATE INDEX notes_fts ON notes USING gin (to_tsvector('english', body));
CREATE INDEX ON notes USING gin (tsv);
INSERT INTO notes (id, body) VALUES (1, 'The quick brown fox'), (2, 'Lazy dogs sleep'), (3, 'Foxes and dogs');
UPDATE notes SET tsv = to_tsvector('simple', body);
\d notes
\d notes_fts
SELECT id, to_tsvector('english', body), round(ts_rank(to_tsvector('english', body), to_tsquery('english', 'fox | dog'))::numeric, 4) AS rank
FROM notes WHERE to_tsvector('english', body) @@ to_tsquery('english', 'fox | dog') ORDER BY rank DESC, id;
SELECT tsv, tsv @@ 'dogs'::tsquery AS dogs FROM notes ORDER BY id;
DROP TABLE notes;
