"""Pure contract facts: what a contract is (its category, from an admin's override, the exchange
and the data's session rule), when it trades, and the order-book depth market fetches of it."""
