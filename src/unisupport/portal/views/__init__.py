"""The portal's pages, one module per part: agreements and orders, the catalog and rules, incidents, consumption."""
