"""The runtime settings' store: each setting declared once in code, beside the rule that reads it
(`declaration`, `fields`), read with its default in one query (`reader`), and stored only when an
operator changes it (`models`, `repository`)."""
