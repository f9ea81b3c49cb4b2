"""The portal's pages, one module per part: orders and the catalog, incidents, the ledger's consumption."""
