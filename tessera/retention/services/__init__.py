"""Writes of data retention: the policy job (`retention_apply`) and erasure on request
(`user_erase`). See docs/data-retention.md for what archive, anonymise and erase mean."""
