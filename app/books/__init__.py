"""The books domain: the simulation core that the replay and the records both step (its pure
part, `app.books.simulation`); it has no routes, tables or jobs of its own."""
