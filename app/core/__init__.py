"""What every layer may use and that depends on none of them."""
