"""Where a school stands: the facts every feature reads (``facts``, gathered from the database by
``gather``), the step of the Gezonde School approach it is in (``phase``) and its status row for the
upward views (``status``). The summary refresh, home, the report and the benchmark generator all
read progress here, so they cannot disagree about it.
"""
