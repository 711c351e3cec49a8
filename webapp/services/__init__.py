"""The board's business logic. Views call these; services own the transactions."""
