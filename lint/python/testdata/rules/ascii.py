import logging
from logging import warning as warn

print("✓ OK")
print("[OK]")
logging.info("done — ok")
warn("stop ✋")
print(f"{x} ✗ FAIL")
x = "✓ not printed"
print(  # multi-line
    "a",
    "❌",
)
print("✓ suppressed")  # lint-ok: ascii -- console is UTF-8
