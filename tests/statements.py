"""Counting the SQL statements that a piece of a step sends (chapters 12 and 16)."""
import contextlib


@contextlib.contextmanager
def recorded(db):
    """A list that fills with each SQL statement the step's engine sends, while inside."""
    sent = []

    def listener(conn, cursor, statement, *rest):
        sent.append(statement)

    db.event.listen(db.engine, 'before_cursor_execute', listener)
    try:
        yield sent
    finally:
        db.event.remove(db.engine, 'before_cursor_execute', listener)


def count_statements(db, action):
    """What `action()` returns, and the SQL statements it sent."""
    with recorded(db) as sent:
        result = action()
    return result, sent
