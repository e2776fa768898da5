"""Replay, pure: the live decision policy run over point-in-time history, against simple
baselines, after costs, on the books' simulation core (`app.books.simulation`); the sources that
read files or the database are the lab's (`app.lab.csv_source`, `app.books.db_source`)."""
