"""Operations: what an operator reads of the service (health, status, first start) and its
upkeep (retention), over every domain: the last in the order."""
