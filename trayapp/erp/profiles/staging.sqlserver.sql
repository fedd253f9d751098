-- trayapp staging tables for Microsoft SQL Server 2016+ (profile: staging). See docs/profiles.md.
-- Outbound tables (trayapp_products, trayapp_product_labels, trayapp_stock, trayapp_order_status) are what
-- trayapp reads: in production replace them with VIEWs over the ERP's own tables, same column names.
-- Inbound tables (trayapp_customers, trayapp_orders, trayapp_order_lines, trayapp_product_inbox) are
-- written by trayapp and imported by the ERP. Never delete rows from trayapp_orders: set processed_at.
-- Money: decimal(19,4). Dates: datetime2(0) holding UTC. Booleans: bit. Text: nvarchar (Unicode).
-- Idempotent script: each table is created only when missing. Run it in the ERP database (sqlcmd/SSMS).

IF OBJECT_ID(N'dbo.trayapp_products', N'U') IS NULL
CREATE TABLE dbo.trayapp_products (
    sku nvarchar(100) PRIMARY KEY,
    name nvarchar(255) NOT NULL,
    price decimal(19,4),
    sale_price decimal(19,4),
    description nvarchar(max) NOT NULL DEFAULT '',
    short_description nvarchar(max) NOT NULL DEFAULT '',
    categories nvarchar(1000) NOT NULL DEFAULT '',
    tax_class nvarchar(100) NOT NULL DEFAULT '',
    weight decimal(12,4),
    ean nvarchar(32) NOT NULL DEFAULT '',
    active bit NOT NULL DEFAULT 1,
    parent_sku nvarchar(100),
    modified_at datetime2(0) NOT NULL DEFAULT (SYSUTCDATETIME())
);
GO

IF OBJECT_ID(N'dbo.trayapp_product_labels', N'U') IS NULL
CREATE TABLE dbo.trayapp_product_labels (
    sku nvarchar(100) NOT NULL,
    label nvarchar(100) NOT NULL,
    PRIMARY KEY (sku, label)
);
GO

IF OBJECT_ID(N'dbo.trayapp_stock', N'U') IS NULL
CREATE TABLE dbo.trayapp_stock (
    sku nvarchar(100) PRIMARY KEY,
    on_hand decimal(19,4) NOT NULL DEFAULT 0,
    reserved decimal(19,4) NOT NULL DEFAULT 0
);
GO

IF OBJECT_ID(N'dbo.trayapp_order_status', N'U') IS NULL
CREATE TABLE dbo.trayapp_order_status (
    external_ref nvarchar(100) PRIMARY KEY,
    status nvarchar(50) NOT NULL,
    erp_key nvarchar(100) NOT NULL DEFAULT '',
    changed_at datetime2(0) NOT NULL
);
GO

IF OBJECT_ID(N'dbo.trayapp_customers', N'U') IS NULL
CREATE TABLE dbo.trayapp_customers (
    id int IDENTITY(1,1) PRIMARY KEY,
    customer_ref nvarchar(255) NOT NULL UNIQUE,
    email nvarchar(255) NOT NULL DEFAULT '',
    first_name nvarchar(100) NOT NULL DEFAULT '',
    last_name nvarchar(100) NOT NULL DEFAULT '',
    company nvarchar(255) NOT NULL DEFAULT '',
    phone nvarchar(50) NOT NULL DEFAULT '',
    tax_id nvarchar(50) NOT NULL DEFAULT '',
    shop_customer_id nvarchar(50) NOT NULL DEFAULT '',
    address_1 nvarchar(255) NOT NULL DEFAULT '',
    address_2 nvarchar(255) NOT NULL DEFAULT '',
    city nvarchar(100) NOT NULL DEFAULT '',
    postcode nvarchar(20) NOT NULL DEFAULT '',
    country nvarchar(2) NOT NULL DEFAULT '',
    state nvarchar(100) NOT NULL DEFAULT '',
    created_at datetime2(0) NOT NULL,
    erp_key nvarchar(100)
);
GO

IF OBJECT_ID(N'dbo.trayapp_orders', N'U') IS NULL
CREATE TABLE dbo.trayapp_orders (
    id int IDENTITY(1,1) PRIMARY KEY,
    external_ref nvarchar(100) NOT NULL,
    number nvarchar(50) NOT NULL DEFAULT '',
    status nvarchar(50) NOT NULL,
    created_at datetime2(0) NOT NULL,
    modified_at datetime2(0) NOT NULL,
    currency nvarchar(3) NOT NULL,
    total decimal(19,4) NOT NULL,
    shipping_total decimal(19,4) NOT NULL DEFAULT 0,
    tax_total decimal(19,4) NOT NULL DEFAULT 0,
    payment_method nvarchar(100) NOT NULL DEFAULT '',
    customer_note nvarchar(max) NOT NULL DEFAULT '',
    customer_id int REFERENCES dbo.trayapp_customers(id),
    customer_email nvarchar(255) NOT NULL DEFAULT '',
    billing_first_name nvarchar(100) NOT NULL DEFAULT '',
    billing_last_name nvarchar(100) NOT NULL DEFAULT '',
    billing_company nvarchar(255) NOT NULL DEFAULT '',
    billing_address_1 nvarchar(255) NOT NULL DEFAULT '',
    billing_address_2 nvarchar(255) NOT NULL DEFAULT '',
    billing_city nvarchar(100) NOT NULL DEFAULT '',
    billing_postcode nvarchar(20) NOT NULL DEFAULT '',
    billing_country nvarchar(2) NOT NULL DEFAULT '',
    billing_state nvarchar(100) NOT NULL DEFAULT '',
    billing_email nvarchar(255) NOT NULL DEFAULT '',
    billing_phone nvarchar(50) NOT NULL DEFAULT '',
    shipping_first_name nvarchar(100) NOT NULL DEFAULT '',
    shipping_last_name nvarchar(100) NOT NULL DEFAULT '',
    shipping_company nvarchar(255) NOT NULL DEFAULT '',
    shipping_address_1 nvarchar(255) NOT NULL DEFAULT '',
    shipping_address_2 nvarchar(255) NOT NULL DEFAULT '',
    shipping_city nvarchar(100) NOT NULL DEFAULT '',
    shipping_postcode nvarchar(20) NOT NULL DEFAULT '',
    shipping_country nvarchar(2) NOT NULL DEFAULT '',
    shipping_state nvarchar(100) NOT NULL DEFAULT '',
    shipping_phone nvarchar(50) NOT NULL DEFAULT '',
    received_at datetime2(0) NOT NULL,
    processed_at datetime2(0),
    erp_key nvarchar(100),
    CONSTRAINT trayapp_orders_external_ref UNIQUE (external_ref)
);
GO

IF OBJECT_ID(N'dbo.trayapp_order_lines', N'U') IS NULL
CREATE TABLE dbo.trayapp_order_lines (
    id int IDENTITY(1,1) PRIMARY KEY,
    order_id int NOT NULL REFERENCES dbo.trayapp_orders(id),
    line_no int NOT NULL,
    sku nvarchar(100) NOT NULL,
    name nvarchar(255) NOT NULL DEFAULT '',
    quantity decimal(19,4) NOT NULL CHECK (quantity > 0),
    unit_price decimal(19,4) NOT NULL,
    total decimal(19,4) NOT NULL,
    tax decimal(19,4) NOT NULL DEFAULT 0,
    CONSTRAINT trayapp_order_lines_no UNIQUE (order_id, line_no)
);
GO

IF OBJECT_ID(N'dbo.trayapp_product_inbox', N'U') IS NULL
CREATE TABLE dbo.trayapp_product_inbox (
    id int IDENTITY(1,1) PRIMARY KEY,
    action nvarchar(10) NOT NULL CHECK (action IN ('insert', 'update')),
    sku nvarchar(100) NOT NULL,
    name nvarchar(255) NOT NULL DEFAULT '',
    price decimal(19,4),
    sale_price decimal(19,4),
    description nvarchar(max) NOT NULL DEFAULT '',
    short_description nvarchar(max) NOT NULL DEFAULT '',
    categories nvarchar(1000) NOT NULL DEFAULT '',
    tax_class nvarchar(100) NOT NULL DEFAULT '',
    weight decimal(12,4),
    ean nvarchar(32) NOT NULL DEFAULT '',
    active bit NOT NULL DEFAULT 1,
    parent_sku nvarchar(100),
    received_at datetime2(0) NOT NULL,
    processed_at datetime2(0)
);
GO
