"""A tiny inventory, the code under soak in soakkit's Python example."""

import random


class OutOfStock(Exception):
    """Raised when more items are taken than the inventory holds."""


class Inventory:
    def __init__(self):
        self._items = {}

    def add(self, sku, count=1):
        if count <= 0:
            raise ValueError("count must be positive")
        self._items[sku] = self._items.get(sku, 0) + count

    def take(self, sku, count=1):
        have = self._items.get(sku, 0)
        if count > have:
            raise OutOfStock(sku)
        self._items[sku] = have - count

    def count(self, sku):
        return self._items.get(sku, 0)

    def reserve(self, sku):
        """Reserve one item; a simulated race loses about one call in four."""
        if random.random() < 0.25:
            return False
        self.take(sku)
        return True
