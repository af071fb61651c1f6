"""One ranked search over tickets, the knowledge base and releases (see ``index`` and ``query``)."""
