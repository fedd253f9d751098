"""The demo ERP: an embedded SQLite database with a small trading company's schema and data.

`create_demo_erp` builds it (idempotent: an existing database keeps its data), `bump_demo_erp`
makes a little business happen (stock moves, a price changes, web orders get shipped) so the demo
shows movement. Read by the shipped `demo` profile through `sqlite:///<path>`.
"""

from __future__ import annotations

import random
import sqlite3
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from importlib import resources
from pathlib import Path

DEMO_PROFILE = "demo"
ORDER_STATUSES = ("new", "on_hold", "confirmed", "shipped", "completed", "cancelled", "refunded")
LABELS = ("shop", "b2b", "clearance", "new")

_TAX_RATES = (
    ("VAT23", Decimal("23"), "Standard 23%", ""),
    ("VAT8", Decimal("8"), "Reduced 8%", "reduced-rate"),
    ("VAT5", Decimal("5"), "Reduced 5%", "reduced-rate-5"),
    ("VAT0", Decimal("0"), "Zero rate", "zero-rate"),
)
_WAREHOUSES = ((1, "MAIN", "Main warehouse"), (2, "STORE", "Shop floor"))

# category: (SKU prefix, tax code, weight range kg, nouns)
_CATALOGUE: dict[str, tuple[str, str, tuple[float, float], tuple[str, ...]]] = {
    "Tools": ("TL", "VAT23", (0.1, 4.0), ("Claw Hammer", "Screwdriver Set", "Cordless Drill", "Spirit Level",
                                          "Tape Measure", "Utility Knife", "Socket Wrench Set", "Combination Pliers",
                                          "Hand Saw", "Workbench Clamp")),
    "Garden": ("GD", "VAT23", (0.2, 12.0), ("Garden Hose", "Pruning Shears", "Watering Can", "Rake",
                                             "Plant Pot", "Lawn Sprinkler", "Seed Tray", "Garden Gloves")),
    "Kitchen": ("KT", "VAT23", (0.1, 3.0), ("Chef's Knife", "Cutting Board", "Frying Pan", "Saucepan",
                                             "Mixing Bowl Set", "Coffee Grinder", "Tea Kettle", "Spice Rack")),
    "Office": ("OF", "VAT23", (0.05, 2.0), ("Notebook A5", "Desk Organizer", "Ballpoint Pens (10)", "Stapler",
                                            "Paper Ream A4", "Desk Lamp", "Filing Box", "Whiteboard Markers")),
    "Books": ("BK", "VAT5", (0.2, 1.5), ("Woodworking Handbook", "Garden Planner", "Home Cooking Basics",
                                         "Bookkeeping for Beginners", "Repair Cafe Guide")),
    "Food": ("FD", "VAT8", (0.1, 2.0), ("Herbal Tea", "Coffee Beans 1 kg", "Olive Oil 0.5 l", "Honey Jar",
                                        "Dark Chocolate", "Pasta 500 g")),
    "Textiles": ("TX", "VAT23", (0.1, 1.0), ("Work Jacket", "Cotton T-Shirt", "Fleece Hoodie", "Apron",
                                             "Work Trousers", "Beanie")),
}
_ADJECTIVES = ("Classic", "Pro", "Compact", "Eco", "Premium", "Heavy-Duty", "Mini", "Deluxe", "Basic", "Smart")
_MATERIALS = ("steel", "oak", "recycled plastic", "aluminium", "cotton", "bamboo", "glass", "ceramic")
_SIZES = ("S", "M", "L", "XL")
_FIRST = ("Anna", "Jan", "Maria", "Piotr", "Sophie", "Lukas", "Emma", "Noah", "Olga", "Ivan", "Claire", "Hugo")
_LAST = ("Nowak", "Kowalski", "Müller", "Schmidt", "Dubois", "Martin", "Ivanova", "Smith", "Rossi", "Novak")
_CITIES = (("Warszawa", "00-950", "PL"), ("Kraków", "30-001", "PL"), ("Berlin", "10115", "DE"),
           ("Lyon", "69001", "FR"), ("Wien", "1010", "AT"), ("Praha", "110 00", "CZ"))


def _now() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)


def _ts(value: datetime) -> str:
    return value.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S")


def _ean13(number: int) -> str:
    body = f"590123{number % 1_000_000:06d}"
    total = sum(int(d) * (3 if i % 2 else 1) for i, d in enumerate(body))
    return body + str((10 - total % 10) % 10)


def _money(rng: random.Random, low: float, high: float) -> str:
    value = Decimal(str(round(rng.uniform(low, high)))) + rng.choice((Decimal("0.99"), Decimal("0.49"),
                                                                      Decimal("0.00"), Decimal("0.90")))
    return str(value)


def schema_sql() -> str:
    return resources.files("trayapp.demo").joinpath("erp_schema.sql").read_text(encoding="utf-8")


def demo_connection_string(path: Path) -> str:
    """The connection string trayapp uses for the demo ERP at `path` ('sqlite:///abs/path')."""
    return "sqlite:///" + Path(path).resolve().as_posix().lstrip("/")


def _connect(path: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(str(path), timeout=30, isolation_level=None)
    conn.execute("PRAGMA foreign_keys = ON")
    return conn


def create_demo_erp(path: Path, *, products: int = 300, seed: int = 7) -> Path:
    """Create the demo ERP database at `path` with about `products` product rows (variants count).

    Idempotent: the schema is created where missing; data is generated only once (an existing demo
    database is left as it is). 100,000 products take a few seconds (one transaction, executemany).
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    conn = _connect(path)
    try:
        conn.execute("PRAGMA journal_mode = WAL")  # the ERP is read while bump_demo_erp writes
        conn.executescript(schema_sql())
        if conn.execute("SELECT 1 FROM demo_meta WHERE key = 'seeded'").fetchone() or \
                conn.execute("SELECT 1 FROM products LIMIT 1").fetchone():
            return path
        conn.execute("BEGIN IMMEDIATE")
        try:
            _seed(conn, random.Random(seed), products)
            conn.execute("INSERT INTO demo_meta (key, value) VALUES ('seeded', ?)", (_ts(_now()),))
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
    finally:
        conn.close()
    return path


def _product_rows(rng: random.Random, count: int, now: datetime, category_ids: dict[str, int]
                  ) -> Iterator[tuple[tuple, list[str], bool]]:
    """(products row, labels, is_parent) in id order; variants follow their parent."""
    names = list(_CATALOGUE)
    product_id = 0
    while product_id < count:
        category = names[product_id % len(names)] if rng.random() < 0.5 else rng.choice(names)
        prefix, tax_code, (w_low, w_high), nouns = _CATALOGUE[category]
        noun = rng.choice(nouns)
        name = f"{rng.choice(_ADJECTIVES)} {noun}"
        material = rng.choice(_MATERIALS)
        labels = []
        if rng.random() < 0.85:
            labels.append("shop")
        if rng.random() < 0.3:
            labels.append("b2b")
        if rng.random() < 0.05:
            labels.append("clearance")
        if rng.random() < 0.08:
            labels.append("new")
        modified = _ts(now - timedelta(seconds=rng.randrange(90 * 86400)))
        price = _money(rng, 3, 480)
        sale = str((Decimal(price) * Decimal("0.8")).quantize(Decimal("0.01"))) if rng.random() < 0.1 else None
        description = (f"<p>{name} made of {material}. Part of our {category.lower()} range, "
                       f"tested for daily use.</p>")
        short = f"{noun}, {material}"
        weight = f"{rng.uniform(w_low, w_high):.3f}"
        active = 0 if rng.random() < 0.03 else 1
        with_variants = category == "Textiles" and rng.random() < 0.5 and product_id + 4 <= count
        product_id += 1
        parent_id = product_id
        code = f"{prefix}-{10000 + product_id}"
        ean = _ean13(product_id) if rng.random() < 0.9 and not with_variants else None
        yield ((parent_id, code, name, price, sale, description, short, category_ids[category], tax_code,
                weight, ean, active, None, modified), labels, with_variants)
        if with_variants:
            for size in _SIZES[:3]:
                product_id += 1
                yield ((product_id, f"{code}-{size}", f"{name} {size}", price, sale, description, short,
                        category_ids[category], tax_code, weight, _ean13(product_id), active, parent_id,
                        modified), labels, False)


def _seed(conn: sqlite3.Connection, rng: random.Random, count: int) -> None:
    now = _now()
    conn.executemany("INSERT OR IGNORE INTO tax_rates (code, rate, name, shop_tax_class) VALUES (?, ?, ?, ?)",
                     [(c, str(r), n, s) for c, r, n, s in _TAX_RATES])
    conn.executemany("INSERT OR IGNORE INTO warehouses (id, code, name) VALUES (?, ?, ?)", _WAREHOUSES)
    conn.executemany("INSERT OR IGNORE INTO categories (name) VALUES (?)", [(c,) for c in _CATALOGUE])
    category_ids = dict(conn.execute("SELECT name, id FROM categories").fetchall())

    product_rows: list[tuple] = []
    label_rows: list[tuple[int, str]] = []
    stock_rows: list[tuple[int, int, int, int]] = []
    sellable: list[tuple] = []  # a few products for the phone orders
    for row, labels, is_parent in _product_rows(rng, count, now, category_ids):
        product_rows.append(row)
        label_rows.extend((row[0], label) for label in labels)
        if is_parent:
            continue
        if len(sellable) < 200:
            sellable.append(row)
        on_hand = rng.choice((0, 0, 2, 5, 8, 12, 20, 35, 60, 120)) if rng.random() < 0.92 else 0
        reserved = rng.randint(1, max(1, min(on_hand + 2, 10))) if rng.random() < 0.15 else 0
        stock_rows.append((row[0], 1, on_hand, reserved))
        if rng.random() < 0.4:
            stock_rows.append((row[0], 2, rng.randint(0, 6), 0))
    conn.executemany(
        "INSERT INTO products (id, code, name, price_gross, promo_price_gross, description, short_description, "
        "category_id, tax_code, weight_kg, ean, is_active, parent_id, modified_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", product_rows)
    conn.executemany("INSERT INTO product_labels (product_id, label) VALUES (?, ?)", label_rows)
    conn.executemany("INSERT INTO stock (product_id, warehouse_id, on_hand, reserved) VALUES (?, ?, ?, ?)",
                     stock_rows)
    _seed_customers_and_orders(conn, rng, now, sellable)


def _seed_customers_and_orders(conn: sqlite3.Connection, rng: random.Random, now: datetime,
                               sellable: list[tuple]) -> None:
    """B2B customers entered in the ERP, and orders taken by phone (no external reference)."""
    customers = []
    for i in range(1, 21):
        first, last = rng.choice(_FIRST), rng.choice(_LAST)
        city, postcode, country = rng.choice(_CITIES)
        company = f"{last} {rng.choice(('GmbH', 'Sp. z o.o.', 'SARL', 's.r.o.', 'Ltd'))}"
        email = f"{first.lower()}.{last.lower()}{i}@example.com".replace("ü", "ue")
        customers.append((f"K{i:04d}", email, first, last, company, f"+48 600 100 {i:03d}",
                          f"PL{rng.randrange(10**9, 10**10)}", f"Main Street {i}", "", city, postcode, country,
                          _ts(now - timedelta(days=400 - i))))
    conn.executemany(
        "INSERT OR IGNORE INTO customers (code, email, first_name, last_name, company, phone, tax_id, street, "
        "street2, city, postcode, country, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", customers)
    if not sellable:
        return
    customer_ids = [r[0] for r in conn.execute("SELECT id FROM customers ORDER BY id").fetchall()]
    for n in range(12):
        customer_id = rng.choice(customer_ids)
        when = _ts(now - timedelta(days=rng.randint(1, 60), minutes=rng.randint(0, 600)))
        lines = []
        for line_no in range(1, rng.randint(1, 4) + 1):
            product = rng.choice(sellable)
            quantity = rng.randint(1, 5)
            unit = Decimal(product[3])
            total = unit * quantity
            tax = (total * Decimal(23) / Decimal(123)).quantize(Decimal("0.01"))
            lines.append((line_no, product[0], product[2], quantity, str(unit), str(total), str(tax)))
        total = sum(Decimal(line[5]) for line in lines)
        tax_total = sum(Decimal(line[6]) for line in lines)
        status = rng.choice(("confirmed", "shipped", "completed", "completed"))
        cursor = conn.execute(
            "INSERT INTO orders (external_ref, shop_number, customer_id, order_date, status, status_changed_at, "
            "currency, total_gross, tax_total, payment_method, note, created_at) "
            "VALUES (NULL, '', ?, ?, ?, ?, 'EUR', ?, ?, 'bank transfer', ?, ?)",
            (customer_id, when, status, when, str(total), str(tax_total), f"phone order {n + 1}", when))
        conn.executemany(
            "INSERT INTO order_lines (order_id, line_no, product_id, description, quantity, unit_price_gross, "
            "total_gross, tax_amount) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [(cursor.lastrowid, *line) for line in lines])


def bump_demo_erp(path: Path, rng: random.Random) -> dict[str, int]:
    """Some business in the demo ERP: stock moves (without touching modified_at, as real ERPs do),
    a price changes, and web orders move on (new -> confirmed, confirmed -> shipped).
    Returns how many of each happened: {'stock': n, 'prices': n, 'confirmed': n, 'shipped': n}."""
    now = _ts(_now())
    conn = _connect(Path(path))
    try:
        conn.execute("BEGIN IMMEDIATE")
        try:
            stock = conn.execute("SELECT product_id, warehouse_id, on_hand FROM stock WHERE warehouse_id = 1 "
                                 "ORDER BY RANDOM() LIMIT 200").fetchall()
            moved = rng.sample(stock, min(len(stock), rng.randint(3, 6)))
            for product_id, warehouse_id, on_hand in moved:
                new = max(0, int(Decimal(str(on_hand))) + rng.choice((-3, -2, -1, 1, 5, 10, 24)))
                conn.execute("UPDATE stock SET on_hand = ? WHERE product_id = ? AND warehouse_id = ?",
                             (new, product_id, warehouse_id))
            products = conn.execute("SELECT id, price_gross FROM products WHERE parent_id IS NULL "
                                    "ORDER BY RANDOM() LIMIT 50").fetchall()
            repriced = rng.sample(products, min(len(products), rng.randint(1, 2)))
            for product_id, price in repriced:
                factor = Decimal(rng.choice(("0.90", "0.95", "1.05", "1.10")))
                new_price = (Decimal(str(price)) * factor).quantize(Decimal("0.01"))
                conn.execute("UPDATE products SET price_gross = ?, modified_at = ? WHERE id = ? OR parent_id = ?",
                             (str(new_price), now, product_id, product_id))
            confirmed = shipped = 0
            for order_id, status in conn.execute(
                    "SELECT id, status FROM orders WHERE external_ref IS NOT NULL "
                    "AND status IN ('new', 'confirmed') ORDER BY id").fetchall():
                if rng.random() < 0.6:
                    new_status = "confirmed" if status == "new" else "shipped"
                    conn.execute("UPDATE orders SET status = ?, status_changed_at = ? WHERE id = ?",
                                 (new_status, now, order_id))
                    confirmed += new_status == "confirmed"
                    shipped += new_status == "shipped"
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
    finally:
        conn.close()
    return {"stock": len(moved), "prices": len(repriced), "confirmed": confirmed, "shipped": shipped}
