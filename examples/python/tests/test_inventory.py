import pytest

from inventory import Inventory, OutOfStock


def test_add_and_count():
    inv = Inventory()
    inv.add("apple", 3)
    assert inv.count("apple") == 3


def test_take_too_many():
    inv = Inventory()
    inv.add("pear")
    with pytest.raises(OutOfStock):
        inv.take("pear", 2)


@pytest.mark.parametrize("count", [0, -1])
def test_add_rejects_non_positive(count):
    with pytest.raises(ValueError):
        Inventory().add("plum", count)


def test_reserve():
    # Intermittent on purpose: a soak names this test as flaky.
    inv = Inventory()
    inv.add("fig")
    assert inv.reserve("fig")
    assert inv.count("fig") == 0
