"""Profile loading, validation and parameter translation."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from trayapp.erp.profile import (
    OPERATION_STATEMENTS,
    SPECS,
    available_profiles,
    load_profile,
    parse_profile,
    shipped_profiles_dir,
    translate,
)
from trayapp.errors import ConfigError

MINIMAL = '''
name = "mini"
[statements]
read_stock = "SELECT code AS sku, qty AS on_hand FROM stock"
'''


def test_translate_named_parameters() -> None:
    text, names = translate("SELECT id FROM c WHERE code = :customer_ref OR (email <> '' AND email = :email)")
    assert text == "SELECT id FROM c WHERE code = ? OR (email <> '' AND email = ?)"
    assert names == ("customer_ref", "email")
    text, names = translate("INSERT INTO t VALUES (:a, :b, :a, :B)")
    assert text == "INSERT INTO t VALUES (?, ?, ?, ?)" and names == ("a", "b", "a", "b")


def test_translate_leaves_literals_comments_and_casts_alone() -> None:
    sql = ("SELECT ':not_a', \"col:x\", [odd:name], x::text, '12:30' -- :comment\n"
           "/* :block */ FROM t WHERE y = :real AND z = 'it''s :no'")
    text, names = translate(sql)
    assert names == ("real",)
    assert text == sql.replace(":real", "?")
    assert translate("{CALL erp_add_order(:external_ref, :total)}") == ("{CALL erp_add_order(?, ?)}",
                                                                        ("external_ref", "total"))


def test_translate_refuses_positional_and_unterminated() -> None:
    with pytest.raises(ValueError, match="named parameters"):
        translate("SELECT * FROM t WHERE a = ?")
    assert translate("SELECT '?' FROM t")[1] == ()
    with pytest.raises(ValueError, match="unterminated"):
        translate("SELECT 'oops FROM t")


def test_shipped_profiles_load_and_are_portable() -> None:
    assert {"demo", "staging"} <= set(available_profiles())
    forbidden = re.compile(r"\bLIMIT\b|\bRETURNING\b|\bOUTPUT\s+INSERTED\b|\|\||\bTOP\b|\bNOW\(\)|\bdatetime\(|"
                           r"\bGETDATE\(|\bILIKE\b|\bAUTOINCREMENT\b|\blast_insert_rowid\b|\bSCOPE_IDENTITY\b",
                           re.IGNORECASE)
    for name in ("demo", "staging"):
        profile = load_profile(name)
        assert set(profile.operations) == set(OPERATION_STATEMENTS), name
        assert set(profile.statements) == set(SPECS), f"{name} uses every statement"
        for statements in profile.statements.values():
            for statement in statements:
                assert not forbidden.search(statement.sql), (name, statement.key, forbidden.search(statement.sql))
                assert "?" not in statement.sql
    assert load_profile("demo").order_statuses == ("new", "on_hold", "confirmed", "shipped", "completed",
                                                   "cancelled", "refunded")
    ddl = {p.name for p in shipped_profiles_dir().iterdir()}
    assert {"staging.sqlserver.sql", "staging.postgresql.sql", "staging.sqlite.sql"} <= ddl
    for dialect in ("sqlserver", "postgresql", "sqlite"):
        text = shipped_profiles_dir().joinpath(f"staging.{dialect}.sql").read_text()
        assert re.search(r"CONSTRAINT trayapp_orders_external_ref UNIQUE \(external_ref\)", text), dialect


def test_user_profile_overrides_shipped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TRAYAPP_HOME", str(tmp_path))
    folder = tmp_path / "config" / "profiles"
    folder.mkdir(parents=True)
    (folder / "demo.toml").write_text(MINIMAL)
    (folder / "mine.toml").write_text(MINIMAL)
    assert load_profile("demo").name == "mini"
    assert load_profile("demo").path == str(folder / "demo.toml")
    assert "mine" in available_profiles()
    assert load_profile(str(folder / "mine.toml")).operations == ("update-stock",)
    assert load_profile("staging").has("find_order")
    with pytest.raises(ConfigError, match=r"available: .*demo.*mine"):
        load_profile("nosuch")


def _error(text: str) -> ConfigError:
    with pytest.raises(ConfigError) as info:
        parse_profile(text, "/etc/trayapp/profiles/acme.toml")
    return info.value


def test_missing_statement_names_file_and_key() -> None:
    error = _error('''
[statements]
find_order = "SELECT id FROM orders WHERE ref = :external_ref"
insert_order = "INSERT INTO orders (ref) VALUES (:external_ref)"
insert_order_line = "INSERT INTO lines (o, sku) VALUES (:order_key, :sku)"
''')
    assert error.path == "/etc/trayapp/profiles/acme.toml"
    assert error.key == "statements.find_product_key"
    assert "import-orders" in str(error) and "find_product_key" in str(error)
    assert str(error).startswith("/etc/trayapp/profiles/acme.toml")

    error = _error('[statements]\nread_products_changed = "SELECT sku FROM p WHERE m >= :changed_since"\n')
    assert error.key == "statements.read_products"
    error = _error('[statements]\nproduct_labels = "SELECT sku, label FROM l"\n')
    assert error.key == "statements" and "no operation" in str(error)
    error = _error('name = "x"\n')
    assert error.key == "statements"


def test_unknown_parameter_names_key_line_and_allowed_set() -> None:
    error = _error('''name = "acme"

[statements]
read_stock = "SELECT sku, on_hand FROM s"
find_order = "SELECT id FROM orders WHERE ref = :external_reference"
''')
    assert error.key == "statements.find_order"
    assert error.line == 5
    assert ":external_reference" in str(error) and ":external_ref" in str(error)
    assert "line 5" in str(error)

    error = _error('''[statements]
insert_product = ["SELECT 1", "INSERT INTO p (code, x) VALUES (:sku, :colour)"]
find_product = "SELECT sku, name, price FROM p WHERE sku = :sku"
update_product = "UPDATE p SET name = :name WHERE sku = :sku"
''')
    assert error.key == "statements.insert_product[1]" and ":colour" in str(error)


def test_required_parameter_missing() -> None:
    error = _error('''[statements]
find_order = "SELECT id FROM orders WHERE ref = :external_ref"
insert_order = "INSERT INTO orders (number) VALUES (:number)"
insert_order_line = "INSERT INTO lines (o, sku) VALUES (:order_key, :sku)"
find_product_key = "SELECT id FROM p WHERE sku = :sku"
''')
    assert error.key == "statements.insert_order" and ":external_ref" in str(error) and error.line == 3


def test_toml_syntax_error_names_line() -> None:
    error = _error('name = "acme"\n[statements]\nread_stock = """SELECT 1\n\nbroken = \n')
    assert error.line is not None and "TOML syntax error" in str(error)
    error = _error('name = "acme"\n\n[statements\nread_stock = "x"\n')
    assert error.line == 3 and "line 3" in str(error)


def test_unknown_keys_and_wrong_types() -> None:
    error = _error('nmae = "x"\n[statements]\nread_stock = "SELECT 1"\n')
    assert error.key == "nmae" and "did you mean 'name'" in str(error) and error.line == 1
    error = _error('[statements]\nread_stok = "SELECT 1"\n')
    assert error.key == "statements.read_stok" and "read_stock" in str(error) and error.line == 2
    error = _error('[statements]\nread_stock = ["SELECT 1", "SELECT 2"]\n')
    assert error.key == "statements.read_stock" and "an SQL string" in str(error)
    error = _error('[statements]\nread_stock = "SELECT * FROM s WHERE a = ?"\n')
    assert "named parameters" in str(error)
    error = _error('order_statuses = "new"\n[statements]\nread_stock = "SELECT 1"\n')
    assert error.key == "order_statuses"
    error = _error('format = 2\n[statements]\nread_stock = "SELECT 1"\n')
    assert error.key == "format"


def test_missing_file_and_bad_name(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="not found") as info:
        load_profile(tmp_path / "nope.toml")
    assert info.value.path == str(tmp_path / "nope.toml")
    with pytest.raises(ConfigError, match="invalid profile name"):
        load_profile("bad name!")


def test_require_operation() -> None:
    profile = parse_profile(MINIMAL, "mini.toml")
    profile.require("update-stock")
    with pytest.raises(ConfigError) as info:
        profile.require("import-orders")
    assert info.value.key == "statements.find_order" and info.value.path == "mini.toml"
    with pytest.raises(ConfigError, match="read_products"):
        profile.statement("read_products")


def test_profiles_in_the_documentation_are_valid() -> None:
    docs = Path(__file__).resolve().parents[2] / "docs" / "profiles.md"
    blocks = re.findall(r"```toml\n(.*?)```", docs.read_text(encoding="utf-8"), flags=re.DOTALL)
    complete = [b for b in blocks if "[statements]" in b]
    assert len(complete) >= 2
    first = parse_profile(complete[0], "docs:file-format")
    assert set(first.operations) == {"export-products", "update-stock"}
    worked = parse_profile(complete[-1], "docs:worked-example")
    assert worked.name == "acme"
    assert set(worked.operations) == {"export-products", "update-stock", "update-order-statuses", "import-orders"}
    assert worked.single("find_customer").params == ("customer_ref", "email")
