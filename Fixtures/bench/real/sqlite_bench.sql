CREATE TABLE IF NOT EXISTS param(n INTEGER); -- the size: `sqlite3 -cmd "CREATE TABLE param(n); INSERT INTO param VALUES(2000)" :memory: "$(cat sqlite_bench.sql)"` sets it
-- sqlite_bench: an SQL workload for the SQLite 3.40.1 shell (Kiln benchmark corpus, real programs).
-- Run as `sqlite3 :memory: "$(cat sqlite_bench.sql)"` (default size 40000 orders). Recursive CTEs generate
-- customers, products, orders and order lines into in-memory tables with a 31-bit LCG; then indexes, joins,
-- GROUP BY/HAVING, ORDER BY/LIMIT, string functions, window functions (running totals, rank, lag), a
-- recursive tree walk, UPDATE and DELETE with subqueries, and json_object/json_group_array. Every result is
-- stored as a line of text in `out`; the end prints the number of lines and `checksum: <16 hex>`, the first
-- 64 bits of SHA3-256 over those lines (the shell's sha3_query). Integer arithmetic only: SQLite 3.40 formats
-- and parses doubles with long double, which is 80-bit natively and 128-bit on wasm32, so printed doubles
-- could differ in a last digit.
-- Temporary storage in memory: large sorts and statement journals otherwise spill to temporary files,
-- which a WASI command without a preopened directory cannot create ("disk I/O error").
PRAGMA temp_store = MEMORY;
INSERT INTO param SELECT 40000 WHERE NOT EXISTS (SELECT 1 FROM param);
CREATE TABLE out(seq INTEGER PRIMARY KEY, line TEXT);

CREATE TABLE customers(id INTEGER PRIMARY KEY, name TEXT, city TEXT, tier INTEGER, joined INTEGER);
WITH RECURSIVE c(i, s) AS (
  SELECT 1, 12345
  UNION ALL SELECT i + 1, (s * 1103515245 + 12345) % 2147483648 FROM c WHERE i < (SELECT n FROM param) / 10)
INSERT INTO customers
SELECT i, 'Cust ' || printf('%05d', i) || ' ' || substr('abcdefghijklmnopqrstuvwxyz', s % 20 + 1, 3 + s % 5),
       CASE s / 16 % 8 WHEN 0 THEN 'Oslo' WHEN 1 THEN 'Lima' WHEN 2 THEN 'Kyoto' WHEN 3 THEN 'Accra'
                       WHEN 4 THEN 'Quito' WHEN 5 THEN 'Perth' WHEN 6 THEN 'Turku' ELSE 'Zurich' END,
       s / 128 % 4, s / 512 % 3650
FROM c;

CREATE TABLE products(id INTEGER PRIMARY KEY, title TEXT, category INTEGER, price INTEGER);
WITH RECURSIVE p(i, s) AS (
  SELECT 1, 777
  UNION ALL SELECT i + 1, (s * 1103515245 + 12345) % 2147483648 FROM p WHERE i < 500)
INSERT INTO products
SELECT i, upper(substr('widgetgadgetgizmodoohickeythingamajig', s % 30 + 1, 4)) || '-' || (s % 1000),
       s / 1024 % 12, 100 + s / 4096 % 99900
FROM p;

CREATE TABLE orders(id INTEGER PRIMARY KEY, customer INTEGER, day INTEGER, status TEXT, note TEXT);
WITH RECURSIVE o(i, s) AS (
  SELECT 1, 4242
  UNION ALL SELECT i + 1, (s * 1103515245 + 12345) % 2147483648 FROM o WHERE i < (SELECT n FROM param))
INSERT INTO orders
SELECT i, 1 + s % ((SELECT n FROM param) / 10), s / 64 % 1000,
       CASE s / 65536 % 5 WHEN 0 THEN 'new' WHEN 1 THEN 'paid' WHEN 2 THEN 'shipped' WHEN 3 THEN 'paid' ELSE 'returned' END,
       CASE WHEN s % 9 = 0 THEN 'gift: ' || substr('wrap it nicely please', 1 + s % 7, 10) ELSE NULL END
FROM o;

CREATE TABLE lines(orderid INTEGER, product INTEGER, qty INTEGER);
WITH RECURSIVE l(i, s) AS (
  SELECT 1, 99991
  UNION ALL SELECT i + 1, (s * 1103515245 + 12345) % 2147483648 FROM l WHERE i < 3 * (SELECT n FROM param))
INSERT INTO lines SELECT 1 + s % (SELECT n FROM param), 1 + s / 8 % 500, 1 + s / 8192 % 5 FROM l;

CREATE INDEX orders_customer ON orders(customer);
CREATE INDEX orders_day ON orders(day, status);
CREATE INDEX lines_order ON lines(orderid);
CREATE INDEX customers_city ON customers(city, tier);

-- Revenue by city and tier: a three-way join, GROUP BY, HAVING, ORDER BY.
INSERT INTO out(line)
SELECT c.city || '|' || c.tier || '|' || count(DISTINCT o.id) || '|' || sum(l.qty * p.price) || '|' ||
       sum(l.qty * p.price) * 1000 / count(*)
FROM customers c JOIN orders o ON o.customer = c.id JOIN lines l ON l.orderid = o.id JOIN products p ON p.id = l.product
WHERE o.status <> 'returned'
GROUP BY c.city, c.tier HAVING count(*) > 10 ORDER BY c.city, c.tier;

-- Top customers by spend, with string functions on their names.
INSERT INTO out(line)
SELECT * FROM (
  SELECT c.id || '|' || upper(c.name) || '|' || length(c.name) || '|' || replace(c.name, ' ', '_') || '|' ||
         instr(c.name, 'e') || '|' || total_qty || '|' || spend
  FROM (SELECT o.customer AS cid, sum(l.qty) AS total_qty, sum(l.qty * p.price) AS spend
        FROM orders o JOIN lines l ON l.orderid = o.id JOIN products p ON p.id = l.product
        GROUP BY o.customer) t JOIN customers c ON c.id = t.cid
  ORDER BY spend DESC, c.id LIMIT 200);

-- Window functions: running totals per customer, rank within a city, lag to the previous order.
CREATE TABLE order_totals AS
SELECT o.id, o.customer, o.day, sum(l.qty * p.price) AS amount
FROM orders o JOIN lines l ON l.orderid = o.id JOIN products p ON p.id = l.product GROUP BY o.id;
INSERT INTO out(line)
SELECT customer || '|' || day || '|' || amount || '|' || running || '|' || rnk || '|' || ifnull(prev, -1)
FROM (SELECT customer, day, amount,
             sum(amount) OVER (PARTITION BY customer ORDER BY day, id ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS running,
             rank() OVER (PARTITION BY customer % 97 ORDER BY amount DESC, id) AS rnk,
             lag(amount) OVER (PARTITION BY customer ORDER BY day, id) AS prev
      FROM order_totals)
WHERE rnk <= 3 OR customer % 211 = 0
ORDER BY customer, day, amount;
INSERT INTO out(line)
SELECT day / 100 || '|' || count(*) || '|' || sum(amount) || '|' || max(amount) || '|' || min(amount)
FROM order_totals GROUP BY day / 100 ORDER BY 1;
INSERT INTO out(line)
SELECT category || '|' || ntile || '|' || count(*) || '|' || sum(price)
FROM (SELECT category, price, ntile(4) OVER (PARTITION BY category ORDER BY price, id) AS ntile FROM products)
GROUP BY category, ntile ORDER BY category, ntile;

-- A recursive tree walk: each customer refers to an earlier one; depth and path length per root.
CREATE TABLE referrals(id INTEGER PRIMARY KEY, parent INTEGER);
INSERT INTO referrals SELECT id, CASE WHEN id % 13 = 1 THEN NULL ELSE id - 1 - (joined % (id % 13)) END FROM customers;
INSERT INTO out(line)
SELECT root || '|' || count(*) || '|' || max(depth) || '|' || sum(depth)
FROM (WITH RECURSIVE tree(id, root, depth) AS (
        SELECT id, id, 0 FROM referrals WHERE parent IS NULL
        UNION ALL SELECT r.id, t.root, t.depth + 1 FROM referrals r JOIN tree t ON r.parent = t.id)
      SELECT * FROM tree)
GROUP BY root ORDER BY count(*) DESC, root LIMIT 100;

-- Text: LIKE and GLOB, group_concat, substr, trim, hex, printf.
INSERT INTO out(line)
SELECT status || '|' || count(*) || '|' || sum(note IS NOT NULL) || '|' ||
       length(group_concat(DISTINCT substr(note, 7, 4))) || '|' || hex(substr(min(note), 1, 6))
FROM orders GROUP BY status ORDER BY status;
INSERT INTO out(line)
SELECT count(*) || '|' || sum(title LIKE '%GET%') || '|' || sum(title GLOB '*O-[1-5]*') || '|' ||
       group_concat(printf('%-8s:%4d', trim(title, 'WG'), price % 1000), ';')
FROM (SELECT * FROM products WHERE id % 25 = 0 ORDER BY id);

-- UPDATE and DELETE with subqueries, then a json summary.
UPDATE orders SET status = 'vip' WHERE customer IN (SELECT id FROM customers WHERE tier = 3 AND city IN ('Oslo', 'Lima'));
DELETE FROM lines WHERE orderid IN (SELECT id FROM orders WHERE status = 'returned' AND day % 3 = 0);
UPDATE products SET price = price + price / 10 WHERE category IN (SELECT category FROM products GROUP BY category HAVING avg(price) < 50000);
INSERT INTO out(line)
SELECT json_object('status', status, 'orders', count(*), 'lines', (SELECT count(*) FROM lines l JOIN orders o2 ON o2.id = l.orderid WHERE o2.status = o.status))
FROM orders o GROUP BY status ORDER BY status;
INSERT INTO out(line)
SELECT json_group_array(json_object('city', city, 'n', n)) FROM (SELECT city, count(*) AS n FROM customers GROUP BY city ORDER BY city);
INSERT INTO out(line)
SELECT (SELECT count(*) FROM orders) || '|' || (SELECT count(*) FROM lines) || '|' || (SELECT sum(price) FROM products) || '|' ||
       (SELECT count(*) FROM orders WHERE NOT EXISTS (SELECT 1 FROM lines WHERE orderid = orders.id));

SELECT 'sqlite_bench: SQLite ' || sqlite_version() || ', ' || (SELECT n FROM param) || ' orders, ' || count(*) || ' result lines' FROM out;
SELECT 'checksum: ' || lower(substr(hex(sha3_query('SELECT line FROM out ORDER BY seq', 256)), 1, 16));
