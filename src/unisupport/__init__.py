"""unisupport: the platform for running the Unified Enterprise Support offering."""
