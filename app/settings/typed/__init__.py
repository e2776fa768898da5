"""Pure typed settings: the field metadata naming the runtime setting a dataclass field is read
from, and the dataclass built from the settings' values."""
