"""Django's SQLite backend, except that a decimal beyond its field's digits is read as empty (and logged).

SQLite does not hold a decimal column to its digits; the CHECK constraints do (catalog/models/constraints.py). A value
forced past them (the checks turned off in a SQL console) would make Django's reading of the row raise
InvalidOperation, and every page that loads the row answer 500; it reads as None instead, as an unknown
rating or score does. Subclassing a built-in backend is Django's documented way to change one behaviour.
PostgreSQL needs nothing of the kind: its numeric column refuses such a value.
"""

import decimal
import logging

from django.db.backends.sqlite3 import base, operations

logger = logging.getLogger(__name__)


class DatabaseOperations(operations.DatabaseOperations):
    def get_decimalfield_converter(self, expression):
        convert = super().get_decimalfield_converter(expression)

        def converter(value, expression, connection):
            try:
                return convert(value, expression, connection)
            except (decimal.InvalidOperation, TypeError):
                field = expression.output_field
                logger.warning(
                    "%s.%s holds %r, beyond its %s digits: read as empty. Correct the row in the admin.",
                    field.model._meta.label if hasattr(field, "model") else "A query", field.name, value,
                    field.max_digits,
                )
                return None

        return converter


class DatabaseWrapper(base.DatabaseWrapper):
    ops_class = DatabaseOperations
