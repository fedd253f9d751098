-- trayapp staging tables for SQLite (profile: staging). See docs/profiles.md.
-- Outbound tables (trayapp_products, trayapp_product_labels, trayapp_stock, trayapp_order_status) are what
-- trayapp reads: in production replace them with VIEWs over the ERP's own tables, same column names.
-- Inbound tables (trayapp_customers, trayapp_orders, trayapp_order_lines, trayapp_product_inbox) are
-- written by trayapp and imported by the ERP. Never delete rows from trayapp_orders: set processed_at.
-- Money: NUMERIC. Dates: TEXT 'YYYY-MM-DD HH:MM:SS' holding UTC. Booleans: INTEGER 1/0. Idempotent script.

CREATE TABLE IF NOT EXISTS trayapp_products (
    sku varchar(100) PRIMARY KEY,
    name varchar(255) NOT NULL,
    price numeric(19,4),
    sale_price numeric(19,4),
    description TEXT NOT NULL DEFAULT '',
    short_description TEXT NOT NULL DEFAULT '',
    categories varchar(1000) NOT NULL DEFAULT '',
    tax_class varchar(100) NOT NULL DEFAULT '',
    weight numeric(12,4),
    ean varchar(32) NOT NULL DEFAULT '',
    active INTEGER NOT NULL DEFAULT 1,
    parent_sku varchar(100),
    modified_at TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP
);

CREATE TABLE IF NOT EXISTS trayapp_product_labels (
    sku varchar(100) NOT NULL,
    label varchar(100) NOT NULL,
    PRIMARY KEY (sku, label)
);

CREATE TABLE IF NOT EXISTS trayapp_stock (
    sku varchar(100) PRIMARY KEY,
    on_hand numeric(19,4) NOT NULL DEFAULT 0,
    reserved numeric(19,4) NOT NULL DEFAULT 0
);

CREATE TABLE IF NOT EXISTS trayapp_order_status (
    external_ref varchar(100) PRIMARY KEY,
    status varchar(50) NOT NULL,
    erp_key varchar(100) NOT NULL DEFAULT '',
    changed_at TEXT NOT NULL
);

CREATE TABLE IF NOT EXISTS trayapp_customers (
    id INTEGER PRIMARY KEY,
    customer_ref varchar(255) NOT NULL UNIQUE,
    email varchar(255) NOT NULL DEFAULT '',
    first_name varchar(100) NOT NULL DEFAULT '',
    last_name varchar(100) NOT NULL DEFAULT '',
    company varchar(255) NOT NULL DEFAULT '',
    phone varchar(50) NOT NULL DEFAULT '',
    tax_id varchar(50) NOT NULL DEFAULT '',
    shop_customer_id varchar(50) NOT NULL DEFAULT '',
    address_1 varchar(255) NOT NULL DEFAULT '',
    address_2 varchar(255) NOT NULL DEFAULT '',
    city varchar(100) NOT NULL DEFAULT '',
    postcode varchar(20) NOT NULL DEFAULT '',
    country varchar(2) NOT NULL DEFAULT '',
    state varchar(100) NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    erp_key varchar(100)
);

CREATE TABLE IF NOT EXISTS trayapp_orders (
    id INTEGER PRIMARY KEY,
    external_ref varchar(100) NOT NULL,
    number varchar(50) NOT NULL DEFAULT '',
    status varchar(50) NOT NULL,
    created_at TEXT NOT NULL,
    modified_at TEXT NOT NULL,
    currency varchar(3) NOT NULL,
    total numeric(19,4) NOT NULL,
    shipping_total numeric(19,4) NOT NULL DEFAULT 0,
    tax_total numeric(19,4) NOT NULL DEFAULT 0,
    payment_method varchar(100) NOT NULL DEFAULT '',
    customer_note TEXT NOT NULL DEFAULT '',
    customer_id integer REFERENCES trayapp_customers(id),
    customer_email varchar(255) NOT NULL DEFAULT '',
    billing_first_name varchar(100) NOT NULL DEFAULT '',
    billing_last_name varchar(100) NOT NULL DEFAULT '',
    billing_company varchar(255) NOT NULL DEFAULT '',
    billing_address_1 varchar(255) NOT NULL DEFAULT '',
    billing_address_2 varchar(255) NOT NULL DEFAULT '',
    billing_city varchar(100) NOT NULL DEFAULT '',
    billing_postcode varchar(20) NOT NULL DEFAULT '',
    billing_country varchar(2) NOT NULL DEFAULT '',
    billing_state varchar(100) NOT NULL DEFAULT '',
    billing_email varchar(255) NOT NULL DEFAULT '',
    billing_phone varchar(50) NOT NULL DEFAULT '',
    shipping_first_name varchar(100) NOT NULL DEFAULT '',
    shipping_last_name varchar(100) NOT NULL DEFAULT '',
    shipping_company varchar(255) NOT NULL DEFAULT '',
    shipping_address_1 varchar(255) NOT NULL DEFAULT '',
    shipping_address_2 varchar(255) NOT NULL DEFAULT '',
    shipping_city varchar(100) NOT NULL DEFAULT '',
    shipping_postcode varchar(20) NOT NULL DEFAULT '',
    shipping_country varchar(2) NOT NULL DEFAULT '',
    shipping_state varchar(100) NOT NULL DEFAULT '',
    shipping_phone varchar(50) NOT NULL DEFAULT '',
    received_at TEXT NOT NULL,
    processed_at TEXT,
    erp_key varchar(100),
    CONSTRAINT trayapp_orders_external_ref UNIQUE (external_ref)
);

CREATE TABLE IF NOT EXISTS trayapp_order_lines (
    id INTEGER PRIMARY KEY,
    order_id integer NOT NULL REFERENCES trayapp_orders(id),
    line_no integer NOT NULL,
    sku varchar(100) NOT NULL,
    name varchar(255) NOT NULL DEFAULT '',
    quantity numeric(19,4) NOT NULL CHECK (quantity > 0),
    unit_price numeric(19,4) NOT NULL,
    total numeric(19,4) NOT NULL,
    tax numeric(19,4) NOT NULL DEFAULT 0,
    CONSTRAINT trayapp_order_lines_no UNIQUE (order_id, line_no)
);

CREATE TABLE IF NOT EXISTS trayapp_product_inbox (
    id INTEGER PRIMARY KEY,
    action varchar(10) NOT NULL CHECK (action IN ('insert', 'update')),
    sku varchar(100) NOT NULL,
    name varchar(255) NOT NULL DEFAULT '',
    price numeric(19,4),
    sale_price numeric(19,4),
    description TEXT NOT NULL DEFAULT '',
    short_description TEXT NOT NULL DEFAULT '',
    categories varchar(1000) NOT NULL DEFAULT '',
    tax_class varchar(100) NOT NULL DEFAULT '',
    weight numeric(12,4),
    ean varchar(32) NOT NULL DEFAULT '',
    active INTEGER NOT NULL DEFAULT 1,
    parent_sku varchar(100),
    received_at TEXT NOT NULL,
    processed_at TEXT
);
