DROP TABLE IF EXISTS t5, t1, t2, t3;
CREATE TABLE t1 (id int PRIMARY KEY, a int, b numeric(10,2), c float8, s text, d date, ts timestamptz, f bool, j jsonb, arr int[]);
CREATE TABLE t2 (id int PRIMARY KEY, t1_id int, v int, name text);
CREATE TABLE t3 (k int, note text);
INSERT INTO t1 VALUES
 (1, 10, 1.50, 0.5, 'Apple', '2024-01-15', '2024-01-15 10:00:00+00', true, '{"k": 1, "t": "x", "arr": [1,2]}', '{1,2,3}'),
 (2, 10, -2.25, -1.25, 'apple', '2024-02-29', '2024-02-29 23:30:00+00', false, '{"k": 2, "t": "y"}', '{2,NULL}'),
 (3, NULL, 0.00, NULL, '', '2023-12-31', NULL, NULL, '{"k": null}', '{}'),
 (4, -5, NULL, 2.75, 'Banana', NULL, '2023-06-01 00:00:00+00', true, NULL, NULL),
 (5, 0, 100.10, 1e10, NULL, '2024-03-01', '2024-03-01 12:00:00+00', false, '[1, 2, 3]', '{5}'),
 (6, 7, 7.77, -0.0, 'banana split', '2000-01-01', '1999-12-31 23:59:59+00', true, '{"k": 3, "nested": {"a": [1, {"b": 2}]}}', '{7,7}'),
 (7, 7, 7.77, 3.5, 'Cherry', '2024-01-15', '2024-01-15 10:00:00+00', NULL, '"str"', '{1,NULL,3}'),
 (8, NULL, -0.01, 0, 'cherry%', '1970-01-01', '1970-01-01 00:00:00+00', false, '{"t": "X"}', '{8,9}'),
 (9, 100, 12345.67, -3.5, 'Durer', '2024-12-31', '2024-12-31 23:59:59+00', true, '{"k": 10, "t": null}', '{-1}'),
 (10, -5, 3.00, 0.1, 'a_b', '2024-06-30', '2024-06-30 06:30:00+00', false, '{}', '{3,2,1}'),
 (11, 3, 3.00, 0.2, 'A B', '2024-02-28', '2024-02-28 00:00:00+00', true, '{"k": 1.5}', '{10,20}'),
 (12, 42, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL);
INSERT INTO t2 VALUES
 (1, 1, 5, 'one'), (2, 1, 15, 'One'), (3, 2, NULL, 'two'), (4, 3, -7, ''), (5, 3, -7, NULL),
 (6, 5, 0, 'five'), (7, 6, 100, 'six'), (8, 6, 100, 'SIX'), (9, 99, 1, 'orphan'), (10, NULL, 2, 'nullref'),
 (11, 7, 10, 'seven'), (12, 9, 42, 'nine'), (13, 9, NULL, NULL), (14, 11, 3, 'eleven'), (15, 12, 7, 'twelve');
INSERT INTO t3 VALUES (1, 'a'), (1, 'a'), (2, NULL), (NULL, 'n'), (NULL, NULL), (10, 'ten'), (-5, 'neg'), (7, 'Seven'), (100, '');
DROP TABLE IF EXISTS t4;
CREATE TABLE t4 (id int PRIMARY KEY, i2 int2, i8 int8, f4 float4, vc varchar(5), ch char(4), iv interval, ts timestamp, n numeric);
INSERT INTO t4 VALUES
 (1, 1, 8000000000, 1.5, 'ab', 'x', '1 day 02:00:00', '2024-01-31 12:00:00', 12.345),
 (2, -32768, -1, -0.1, '', '', '-1 mon', '2024-02-29 00:00:00', -0.5),
 (3, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL),
 (4, 32767, 0, 3.25, 'ABCDE', 'abcd', '1 year 2 mons 3 days 04:05:06.5', '1999-12-31 23:59:59.999', 1e20),
 (5, 0, 42, 1e-5, 'a b', 'a b', '00:00:01', '2000-01-01 00:00:00', 0),
 (6, 7, 7, 7, 'Ab', 'Ab', '36 hours', '2024-06-15 08:30:00', 7.5);
DROP TABLE IF EXISTS t5;
CREATE TABLE t5 (id int PRIMARY KEY, k text UNIQUE DEFAULT 'dflt', v int NOT NULL DEFAULT 0 CHECK (v > -50), p int REFERENCES t1 (id));
INSERT INTO t5 VALUES (1, 'a', 1, 1), (2, 'b', 2, NULL), (3, NULL, -1, 2), (5, 'five', 5, 12);
