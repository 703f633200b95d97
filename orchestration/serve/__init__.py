"""What reads the marts for people: ad-hoc SQL (query.py), the build summary, the HTML report
(report/), one conversion's credit explained (explain.py), files for BI tools (export.py) and
a read-only BI login (bi_access.py)."""
