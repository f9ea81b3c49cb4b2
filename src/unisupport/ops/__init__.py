"""Operations: whether the product is alive and ready to serve (health), and the worker's heartbeat."""
