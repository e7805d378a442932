"""Static per-commit dashboards from the farm's results store (issue #8).

`python3 -m dashboards` (or `make dashboard`) writes build/dashboard/: an
index of commits with trend plots, a page per commit (tests x boards, Kevlar
next to Linux, regressions and fixes on top) and a page per test (its
history). See dashboards/README.md.
"""
