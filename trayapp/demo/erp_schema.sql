-- trayapp demo ERP: the schema of a small trading company's ERP, in SQLite.
-- Read by trayapp/erp/profiles/demo.toml. Dates are UTC text 'YYYY-MM-DD HH:MM:SS'.
-- Every statement is idempotent (IF NOT EXISTS): running this file again changes nothing.

CREATE TABLE IF NOT EXISTS tax_rates (
    code TEXT PRIMARY KEY,                 -- the ERP's VAT code
    rate NUMERIC(5,2) NOT NULL,            -- percent
    name TEXT NOT NULL,
    shop_tax_class TEXT NOT NULL DEFAULT '' -- the shop's tax class name ('' = standard)
);

CREATE TABLE IF NOT EXISTS categories (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE
);

CREATE TABLE IF NOT EXISTS products (
    id INTEGER PRIMARY KEY,
    code TEXT NOT NULL UNIQUE,             -- the SKU
    name TEXT NOT NULL,
    price_gross NUMERIC(12,2) NOT NULL DEFAULT 0,
    promo_price_gross NUMERIC(12,2),       -- NULL: no promotion
    description TEXT NOT NULL DEFAULT '',
    short_description TEXT NOT NULL DEFAULT '',
    category_id INTEGER REFERENCES categories(id),
    tax_code TEXT NOT NULL DEFAULT 'VAT23' REFERENCES tax_rates(code),
    weight_kg NUMERIC(10,3),
    ean TEXT,
    is_active INTEGER NOT NULL DEFAULT 1,
    parent_id INTEGER REFERENCES products(id), -- set on a variant of a product with variants
    modified_at TIMESTAMP NOT NULL
);
CREATE INDEX IF NOT EXISTS products_modified ON products(modified_at);
CREATE INDEX IF NOT EXISTS products_parent ON products(parent_id);

-- Groups/tags used to choose what goes to the shop: 'shop', 'b2b', 'clearance', 'new'.
CREATE TABLE IF NOT EXISTS product_labels (
    product_id INTEGER NOT NULL REFERENCES products(id),
    label TEXT NOT NULL,
    PRIMARY KEY (product_id, label)
);

CREATE TABLE IF NOT EXISTS warehouses (
    id INTEGER PRIMARY KEY,
    code TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL
);

-- Stock per warehouse; 'reserved' is held for open orders. Changes here do not touch
-- products.modified_at (as in many real ERPs): stock must always be read in full.
CREATE TABLE IF NOT EXISTS stock (
    product_id INTEGER NOT NULL REFERENCES products(id),
    warehouse_id INTEGER NOT NULL REFERENCES warehouses(id),
    on_hand NUMERIC(12,3) NOT NULL DEFAULT 0,
    reserved NUMERIC(12,3) NOT NULL DEFAULT 0,
    PRIMARY KEY (product_id, warehouse_id)
);

CREATE TABLE IF NOT EXISTS customers (
    id INTEGER PRIMARY KEY,
    code TEXT NOT NULL UNIQUE,             -- ERP customer code; web customers: e-mail or 'guest-<order>'
    email TEXT NOT NULL DEFAULT '',
    first_name TEXT NOT NULL DEFAULT '',
    last_name TEXT NOT NULL DEFAULT '',
    company TEXT NOT NULL DEFAULT '',
    phone TEXT NOT NULL DEFAULT '',
    tax_id TEXT NOT NULL DEFAULT '',
    street TEXT NOT NULL DEFAULT '',
    street2 TEXT NOT NULL DEFAULT '',
    city TEXT NOT NULL DEFAULT '',
    postcode TEXT NOT NULL DEFAULT '',
    country TEXT NOT NULL DEFAULT '',
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX IF NOT EXISTS customers_email ON customers(email);

-- Orders. external_ref is the shop's order id: UNIQUE, so an order can never be imported twice,
-- even by two writers at once. NULL for orders entered in the ERP itself.
CREATE TABLE IF NOT EXISTS orders (
    id INTEGER PRIMARY KEY,
    external_ref TEXT UNIQUE,
    shop_number TEXT NOT NULL DEFAULT '',
    customer_id INTEGER NOT NULL REFERENCES customers(id),
    order_date TIMESTAMP NOT NULL,
    status TEXT NOT NULL DEFAULT 'new'
        CHECK (status IN ('new', 'on_hold', 'confirmed', 'shipped', 'completed', 'cancelled', 'refunded')),
    status_changed_at TIMESTAMP NOT NULL,
    currency TEXT NOT NULL DEFAULT 'EUR',
    total_gross NUMERIC(12,2) NOT NULL,
    shipping_gross NUMERIC(12,2) NOT NULL DEFAULT 0,
    tax_total NUMERIC(12,2) NOT NULL DEFAULT 0,
    payment_method TEXT NOT NULL DEFAULT '',
    note TEXT NOT NULL DEFAULT '',
    bill_first_name TEXT NOT NULL DEFAULT '',
    bill_last_name TEXT NOT NULL DEFAULT '',
    bill_company TEXT NOT NULL DEFAULT '',
    bill_street TEXT NOT NULL DEFAULT '',
    bill_street2 TEXT NOT NULL DEFAULT '',
    bill_city TEXT NOT NULL DEFAULT '',
    bill_postcode TEXT NOT NULL DEFAULT '',
    bill_country TEXT NOT NULL DEFAULT '',
    bill_email TEXT NOT NULL DEFAULT '',
    bill_phone TEXT NOT NULL DEFAULT '',
    ship_first_name TEXT NOT NULL DEFAULT '',
    ship_last_name TEXT NOT NULL DEFAULT '',
    ship_company TEXT NOT NULL DEFAULT '',
    ship_street TEXT NOT NULL DEFAULT '',
    ship_street2 TEXT NOT NULL DEFAULT '',
    ship_city TEXT NOT NULL DEFAULT '',
    ship_postcode TEXT NOT NULL DEFAULT '',
    ship_country TEXT NOT NULL DEFAULT '',
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX IF NOT EXISTS orders_status_changed ON orders(status_changed_at);

CREATE TABLE IF NOT EXISTS order_lines (
    id INTEGER PRIMARY KEY,
    order_id INTEGER NOT NULL REFERENCES orders(id),
    line_no INTEGER NOT NULL,
    product_id INTEGER NOT NULL REFERENCES products(id),
    description TEXT NOT NULL,
    quantity NUMERIC(12,3) NOT NULL CHECK (quantity > 0),
    unit_price_gross NUMERIC(12,2) NOT NULL,
    total_gross NUMERIC(12,2) NOT NULL,
    tax_amount NUMERIC(12,2) NOT NULL DEFAULT 0,
    UNIQUE (order_id, line_no)
);

-- Bookkeeping of the demo generator itself (not part of the ERP).
CREATE TABLE IF NOT EXISTS demo_meta (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
