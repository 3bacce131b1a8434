"""gunicorn's settings in production.

``gunicorn -c python:sango.config.gunicorn sango.config.wsgi`` (README, *Production notes*).

The access log is the project's, not gunicorn's default: its default line holds the request line
with the query string and the referrer, and an address's query may carry what a visitor typed
(a birth date, a tier), next to the client's address, out of reach of the logging filter
(``sango.core.logging.PersonalDataFilter``). This line holds the path only (``%(U)s``, without
the query), the status, the size and the time taken; no referrer, no user agent.
"""

accesslog = "-"  # standard output, collected with the service's journal
access_log_format = '%(h)s %(t)s "%(m)s %(U)s %(H)s" %(s)s %(B)s %(M)sms'
