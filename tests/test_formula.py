"""The formula grammar: what parses, what is refused, and how it evaluates."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from generator import formula
from generator.formula import BinOp, FormulaError, Neg, Num, Ref


def test_parse_precedence_and_parentheses():
    assert formula.parse("a + b * 2") == BinOp("+", Ref("a"), BinOp("*", Ref("b"), Num(2)))
    assert formula.parse("(a + b) / c") == BinOp("/", BinOp("+", Ref("a"), Ref("b")), Ref("c"))
    assert formula.parse("a - b - c") == BinOp("-", BinOp("-", Ref("a"), Ref("b")), Ref("c"))
    assert formula.parse("-a * .5") == BinOp("*", Neg(Ref("a")), Num(0.5))


@pytest.mark.parametrize(("text", "position"), [
    ("", 0), ("a +", 3), ("a ** b", 3), ("(a + b", 6), ("a b", 2), ("__import__('os')", 11),
    ("a; b", 1), ("a.b", 1), ("1e5", 1), ("a[0]", 1), ("lambda: 1", 6), (")", 0),
])
def test_outside_the_grammar_is_refused_with_a_position(text, position):
    with pytest.raises(FormulaError) as err:
        formula.parse(text)
    assert err.value.position == position


def test_nesting_and_length_are_bounded():
    with pytest.raises(FormulaError, match="nested"):
        formula.parse("(" * 200 + "a" + ")" * 200)
    with pytest.raises(FormulaError, match="longer"):
        formula.parse("a+" * 2000 + "a")
    assert formula.references(formula.parse("+".join(f"m{i}" for i in range(300)))) == {
        f"m{i}" for i in range(300)}


def test_evaluate_ratio_and_division_by_zero():
    tree = formula.parse("(gmv - cost) / cost")
    assert formula.evaluate(tree, {"gmv": 500.0, "cost": 100.0}) == 4.0
    assert formula.evaluate(tree, {"gmv": 500.0, "cost": 0.0}) is None
    assert formula.evaluate(tree, {"gmv": None, "cost": 100.0}) is None
    assert formula.references(tree) == {"gmv", "cost"}


@given(st.text(max_size=60))
def test_parser_raises_only_formula_errors(text):
    try:
        tree = formula.parse(text)
    except FormulaError:
        return
    # whatever parses evaluates with only numbers and ids: no names leak in
    values = dict.fromkeys(formula.references(tree), 2.0)
    result = formula.evaluate(tree, values)
    assert result is None or isinstance(result, float)
