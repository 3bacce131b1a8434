"""Health checks for load balancers and monitoring."""

import logging

from django.db import DatabaseError, connection

logger = logging.getLogger(__name__)


def database_is_reachable() -> bool:
    """Return True if the default database answers a trivial query, False otherwise.

    Never raises for database errors: the caller reports unhealthy instead of a 500.
    """
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        logger.exception("Health check: the database is unreachable")
        return False
    return True
