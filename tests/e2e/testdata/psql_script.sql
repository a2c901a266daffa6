-- psql_script.sql: a psql session run against prkdb-sql and PostgreSQL 15;
-- the outputs must be byte-identical (psql_test.go).
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
SELECT nope FROM items;
SELECT * FROM no_such_table;
SELEC 1;
SELECT 1/0;

-- Types and NULL display.
SELECT NULL::int AS n, 'x'::text AS t, true AS b, 1.5::float8 AS f, '2024-01-02'::date AS d;
SELECT id, name FROM items WHERE price IS NULL ORDER BY id;
DROP TABLE items;
SELECT * FROM items;
