# Lets the tests import inventory from this directory.
