"""Thin clients: the console served over SSH (`crm ssh-serve`) and in a browser (`crm web`).

Both run one ordinary console process (`crm --db …` or `crm --server …`) per connection, so a
session is isolated from the others (its own memory, its own crash) and signs in as usual.
"""
